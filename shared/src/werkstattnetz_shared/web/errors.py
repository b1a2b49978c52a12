"""One error shape for every service: `{"error": {"code", "message", "details"}}`.

Validation errors name each field and the rule it broke, so a front-end can point at the input.
The same shape is documented in OpenAPI (`ErrorResponse`, `error_responses(...)`), so generated
clients and contract tests see what the services really answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from werkstattnetz_shared.rules import RuleFailure, RuleViolated

_HTTP_ERROR_CODES = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}

Violation = TypeVar("Violation", bound=RuleViolated)

RETRY_AFTER_S = 5
"""What a 503 asks the client to wait before trying again (`Retry-After`, seconds)."""


class ErrorDetail(BaseModel):
    field: str = Field(description="The input the detail is about, e.g. `birth_date` or `query.limit`.")
    rule: str = Field(description="The rule the input broke.")
    message: str


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable: a rule name or e.g. `not_found`.")
    message: str = Field(description="For people; never contains internals.")
    details: list[ErrorDetail]
    conflicting_id: uuid.UUID | None = Field(
        default=None, description="On some 409s: the id of the record the request conflicts with."
    )


class ErrorResponse(BaseModel):
    """The body of every 4xx and 5xx answer."""

    error: ErrorBody


_RESPONSE_DESCRIPTIONS = {
    401: "No valid bearer token (missing, malformed, expired, or without the required claims).",
    403: "A valid token without any of the roles this endpoint needs.",
    404: "The id in the path names nothing this service knows.",
    409: "The request conflicts with the current state (e.g. it was already done).",
    422: "The request breaks a rule; `details` name each field and the rule.",
    503: "The service's database or broker is unavailable for now; retry after `Retry-After` seconds.",
}
_RESPONSE_HEADERS: dict[int, dict[str, Any]] = {
    401: {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}},
}


def error_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the error statuses a route answers, in the real shape.

    Naming 422 here also keeps FastAPI from adding its own `HTTPValidationError`, which our
    validation handler never answers with.
    """
    return {
        code: {
            "model": ErrorResponse,
            "description": _RESPONSE_DESCRIPTIONS[code],
            **({"headers": _RESPONSE_HEADERS[code]} if code in _RESPONSE_HEADERS else {}),
        }
        for code in status_codes
    }


class ApiError(Exception):
    """Raised by routes to answer with a specific status, code and message."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        field: str | None = None,
        *,
        failures: list[RuleFailure] | None = None,
        conflicting_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.failures = (
            failures if failures is not None else ([RuleFailure(code, field, message)] if field else [])
        )
        self.conflicting_id = conflicting_id


def rule_violation_error(violation: Violation, status_of_rule: Mapping[type[Violation], int]) -> ApiError:
    """The answer to a domain rule violation; each service maps its own rules to statuses."""
    status_code = next(code for rule, code in status_of_rule.items() if isinstance(violation, rule))
    return ApiError(
        status_code,
        violation.rule,
        violation.message,
        failures=violation.failures(),
        conflicting_id=violation.conflicting_id,
    )


def error_body(
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    conflicting_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message, "details": details or []}
    if conflicting_id is not None:
        body["conflicting_id"] = str(conflicting_id)
    return {"error": body}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def on_api_error(_: Request, error: ApiError) -> JSONResponse:
        details = [{"field": f.field, "rule": f.rule, "message": f.message} for f in error.failures]
        return JSONResponse(
            error_body(error.code, error.message, details, error.conflicting_id),
            status_code=error.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"field": _field_of(issue), "rule": issue["type"], "message": issue["msg"]}
            for issue in error.errors()
        ]
        return _validation_failed(details)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == status.HTTP_400_BAD_REQUEST and isinstance(error.__cause__, ValueError):
            # FastAPI answers a body it cannot decode as text (not UTF-8) with its own 400; a body
            # that is not JSON is a 422 `json_invalid`, so this one is too.
            return _validation_failed(
                [{"field": "body", "rule": "json_invalid", "message": "the body is not UTF-8 encoded JSON"}]
            )
        headers = dict(error.headers or {})
        if error.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
            headers["Allow"] = ", ".join(_methods_of_path(request))
        code = _HTTP_ERROR_CODES.get(error.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(error.detail)), status_code=error.status_code, headers=headers
        )


def _field_of(issue: Mapping[str, Any]) -> str:
    if issue["type"] == "json_invalid":
        return "body"  # its location is a character position, not a field
    return ".".join(str(part) for part in issue["loc"] if part != "body")


def _validation_failed(details: list[dict[str, Any]]) -> JSONResponse:
    message = "; ".join(f"{d['field']}: {d['message']}" for d in details)
    return JSONResponse(
        error_body("validation_failed", message, details), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
    )


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _methods_of_path(request: Request) -> list[str]:
    """Every method some route answers on this path. Starlette names only the methods of the first
    route whose path matched, but GET and POST of one path are separate routes here."""
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]
