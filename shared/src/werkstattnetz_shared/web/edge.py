"""The outermost layer of every service's HTTP stack: correlation id, security headers, last resort.

A pure ASGI middleware rather than `@app.middleware("http")`: it sees every response, including
the ones Starlette's own error handling would otherwise answer as `text/plain`, and it runs in the
request's own task, so the correlation id bound here is the one every log line of the request has.

Any exception that escapes the app is answered here in the standard error shape, carrying the
correlation id and never the exception's text: 503 with `Retry-After` when the database or broker
is unavailable (`faults.is_infrastructure_failure`), 500 otherwise. Both are logged with the
traceback and the correlation id.
"""

from __future__ import annotations

import json
import logging
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from werkstattnetz_shared.faults import is_infrastructure_failure
from werkstattnetz_shared.logging import current_correlation_id
from werkstattnetz_shared.web.errors import RETRY_AFTER_S, error_body
from werkstattnetz_shared.web.metrics import HttpMetrics

log = logging.getLogger(__name__)

CORRELATION_HEADER = "X-Correlation-ID"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Answers under /v1 carry personal data or case work; no browser or proxy may keep a copy.
NO_STORE_PREFIX = "/v1"


class HttpEdgeMiddleware:
    def __init__(self, app: ASGIApp, metrics: HttpMetrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        correlation_id = _valid_uuid(Headers(scope=scope).get(CORRELATION_HEADER)) or str(uuid.uuid4())
        path: str = scope.get("path", "")
        no_store = path == NO_STORE_PREFIX or path.startswith(NO_STORE_PREFIX + "/")
        response_started = False
        status_code = 500
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            nonlocal response_started, status_code
            if message["type"] == "http.response.start":
                response_started = True
                status_code = message["status"]
                headers = MutableHeaders(scope=message)
                headers[CORRELATION_HEADER] = correlation_id
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if no_store:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        token = current_correlation_id.set(correlation_id)
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:
            method = scope.get("method", "")
            if response_started:
                # Too late for an error answer; re-raising lets the server cut the connection, so
                # the client cannot mistake a half-sent response for a whole one.
                log.exception("error after the response to %s %s had started", method, path)
                raise
            if is_infrastructure_failure(error):
                log.exception("dependency unavailable while answering %s %s", method, path)
                await _answer(
                    send_with_headers,
                    503,
                    "service_unavailable",
                    "the service cannot reach its database or broker right now; try again shortly",
                    {"Retry-After": str(RETRY_AFTER_S)},
                )
            else:
                log.exception("unhandled error while answering %s %s", method, path)
                await _answer(
                    send_with_headers,
                    500,
                    "internal_error",
                    f"an unexpected error occurred; quote correlation id {correlation_id} when reporting it",
                )
        finally:
            current_correlation_id.reset(token)
            if self.metrics is not None:
                self.metrics.observe(
                    scope.get("method", ""),
                    _route_template(scope),
                    status_code,
                    time.perf_counter() - started,
                )


def _route_template(scope: Scope) -> str:
    """The matched route's template (`/v1/referrals/{referral_id}/enrol`), never the raw path."""
    route = scope.get("route")
    return str(getattr(route, "path", "unmatched")) if route is not None else "unmatched"


async def _answer(
    send: Send, status_code: int, code: str, message: str, extra_headers: dict[str, str] | None = None
) -> None:
    body = json.dumps(error_body(code, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(name.lower().encode(), value.encode()) for name, value in (extra_headers or {}).items()]
    await send({"type": "http.response.start", "status": status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _valid_uuid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
