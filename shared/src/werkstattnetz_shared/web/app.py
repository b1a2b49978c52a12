"""The frame every service's FastAPI app is built in: errors, health, correlation ids, auth."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI, Request, Response

from werkstattnetz_shared.logging import current_correlation_id
from werkstattnetz_shared.settings import ServiceSettings
from werkstattnetz_shared.web.auth import TokenVerifier
from werkstattnetz_shared.web.errors import install_error_handlers
from werkstattnetz_shared.web.health import router as health_router

CORRELATION_HEADER = "X-Correlation-ID"


def create_service_app(
    *,
    title: str,
    description: str,
    settings: ServiceSettings,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]],
) -> FastAPI:
    app = FastAPI(title=title, description=description, version="1.0.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(
        secret=settings.jwt_secret,
        algorithm=settings.jwt_algorithm,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    app.state.readiness_checks = {}
    install_error_handlers(app)
    app.include_router(health_router)

    @app.middleware("http")
    async def bind_correlation_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        correlation_id = _valid_uuid(request.headers.get(CORRELATION_HEADER)) or str(uuid.uuid4())
        token = current_correlation_id.set(correlation_id)
        try:
            response = await call_next(request)
        finally:
            current_correlation_id.reset(token)
        response.headers[CORRELATION_HEADER] = correlation_id
        return response

    return app


def _valid_uuid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def request_correlation_id() -> uuid.UUID:
    """The correlation id of the request being served (a new one outside a request)."""
    value = current_correlation_id.get()
    return uuid.UUID(value) if value else uuid.uuid4()
