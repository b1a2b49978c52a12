"""The HTTP edge every service shares: correlation ids, security headers, the last-resort answers.

A small app built with `create_service_app` (no database: the lifespan does nothing) and routes
that fail on purpose; driven in-process through httpx's ASGI transport.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import asyncpg
import httpx
import jwt
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from werkstattnetz_shared.logging import JsonFormatter
from werkstattnetz_shared.settings import ServiceSettings
from werkstattnetz_shared.web.app import create_service_app
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.edge import SECURITY_HEADERS
from werkstattnetz_shared.web.errors import RETRY_AFTER_S

SECRET_DETAIL = "password=hunter2 at db.internal:5432"
SETTINGS = ServiceSettings(database_url="postgresql://u:p@127.0.0.1:1/none")


@asynccontextmanager
async def no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


def edge_app() -> FastAPI:
    app = create_service_app(title="edge", description="test", settings=SETTINGS, lifespan=no_lifespan)

    @app.get("/v1/fine")
    async def fine() -> dict[str, str]:
        return {"status": "fine"}

    @app.get("/v1/bug")
    async def bug() -> None:
        raise RuntimeError(SECRET_DETAIL)

    @app.get("/v1/database-gone")
    async def database_gone() -> None:
        raise asyncpg.ConnectionDoesNotExistError(SECRET_DETAIL)

    @app.get("/v1/wrapped-outage")
    async def wrapped_outage() -> None:
        try:
            raise ConnectionRefusedError(SECRET_DETAIL)
        except OSError as error:
            raise LookupError("could not load the page") from error

    @app.get("/v1/bad-sql")
    async def bad_sql() -> None:
        raise asyncpg.UndefinedColumnError(SECRET_DETAIL)

    @app.get("/v1/half-sent")
    async def half_sent() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b'{"items": ['
            raise RuntimeError(SECRET_DETAIL)

        return StreamingResponse(chunks(), media_type="application/json")

    @app.get("/v1/managers-only")
    async def managers_only(staff: StaffMember = require_roles(StaffRole.MANAGER)) -> dict[str, str]:
        return {"subject": staff.subject}

    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=edge_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        yield client


class JsonLines(logging.Handler):
    """Formats at emit time, while the request's correlation id is still bound."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter("edge"))
        self.lines: list[dict[str, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def logged() -> Iterator[JsonLines]:
    handler = JsonLines()
    logger = logging.getLogger("werkstattnetz_shared.web")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


async def test_an_unhandled_error_answers_500_in_the_error_shape_and_is_logged_with_the_id(
    client: httpx.AsyncClient, logged: JsonLines
) -> None:
    response = await client.get("/v1/bug")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    correlation_id = response.headers["X-Correlation-ID"]
    assert response.json() == {
        "error": {"code": "internal_error", "message": response.json()["error"]["message"], "details": []}
    }
    assert correlation_id in response.json()["error"]["message"]
    assert "hunter2" not in response.text
    [line] = logged.lines
    assert line["level"] == "ERROR"
    assert line["correlation_id"] == correlation_id
    assert "hunter2" in str(line["exception"])  # the operator sees what the client does not


@pytest.mark.parametrize("path", ["/v1/database-gone", "/v1/wrapped-outage"])
async def test_an_unavailable_dependency_answers_503_with_retry_after(
    client: httpx.AsyncClient, logged: JsonLines, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_S)
    assert response.json()["error"]["code"] == "service_unavailable"
    assert response.json()["error"]["details"] == []
    assert "hunter2" not in response.text
    assert response.headers["X-Correlation-ID"]
    assert [line["correlation_id"] for line in logged.lines] == [response.headers["X-Correlation-ID"]]


async def test_a_database_error_that_is_our_own_bug_is_a_500_not_a_503(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/bad-sql")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers


async def test_a_valid_incoming_correlation_id_is_kept_and_anything_else_replaced(
    client: httpx.AsyncClient,
) -> None:
    mine = str(uuid.uuid4())
    kept = await client.get("/v1/fine", headers={"X-Correlation-ID": mine})
    replaced = await client.get("/v1/fine", headers={"X-Correlation-ID": "<script>"})
    assert kept.headers["X-Correlation-ID"] == mine
    assert uuid.UUID(replaced.headers["X-Correlation-ID"])
    failed = await client.get("/v1/bug", headers={"X-Correlation-ID": mine})
    assert failed.headers["X-Correlation-ID"] == mine


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/v1/fine", 200),
        ("/v1/nowhere", 404),
        ("/v1/managers-only", 401),
        ("/v1/bug", 500),
        ("/v1/database-gone", 503),
        ("/health/live", 200),
        ("/docs", 200),
        ("/openapi.json", 200),
    ],
)
async def test_every_answer_carries_the_security_headers_and_v1_answers_are_not_stored(
    client: httpx.AsyncClient, path: str, status: int
) -> None:
    response = await client.get(path)
    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["X-Correlation-ID"]
    assert "server" not in response.headers
    if path.startswith("/v1/"):
        assert response.headers["Cache-Control"] == "no-store"
    else:
        assert "Cache-Control" not in response.headers


async def test_an_error_after_the_response_started_is_logged_and_the_response_cut_short(
    client: httpx.AsyncClient, logged: JsonLines
) -> None:
    with pytest.raises(RuntimeError):
        await client.get("/v1/half-sent")
    assert [line["message"] for line in logged.lines] == [
        "error after the response to GET /v1/half-sent had started"
    ]


def service_token(**claims: object) -> str:
    """Signed with the app's own secret, so only the claims decide."""
    now = int(time.time())
    defaults: dict[str, object] = {
        "sub": "anna",
        "roles": ["caseworker"],
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "exp": now + 60,
    }
    payload = {name: value for name, value in (defaults | claims).items() if value is not None}
    return jwt.encode(payload, SETTINGS.jwt_secret, algorithm=SETTINGS.jwt_algorithm)


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer not.a.token",
        "Basic YWxhZGRpbjpvcGVu",
        f"Bearer {service_token(exp=str(int(time.time()) + 60))}",
        f"Bearer {service_token(roles=None)}",
        f"Bearer {service_token(exp=int(time.time()) - 3600)}",
        f"Bearer {service_token(aud='someone-else')}",
    ],
    ids=["none", "garbage", "basic", "string-exp", "no-roles", "expired", "other-audience"],
)
async def test_every_refused_token_answers_the_same_generic_401(
    client: httpx.AsyncClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = await client.get("/v1/managers-only", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"] == {
        "code": "unauthenticated",
        "message": "a valid bearer token is required",
        "details": [],
    }


async def test_a_valid_token_without_the_role_is_403_and_with_it_200(client: httpx.AsyncClient) -> None:
    caseworker = {"Authorization": f"Bearer {service_token()}"}
    manager = {"Authorization": f"Bearer {service_token(roles=['manager'])}"}
    refused = await client.get("/v1/managers-only", headers=caseworker)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert (await client.get("/v1/managers-only", headers=manager)).json() == {"subject": "anna"}
