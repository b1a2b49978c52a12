"""The frame every service's FastAPI app is built in: errors, health, the HTTP edge, auth, docs."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import Depends, FastAPI

from werkstattnetz_shared.logging import current_correlation_id
from werkstattnetz_shared.settings import ServiceSettings
from werkstattnetz_shared.web.auth import TokenVerifier
from werkstattnetz_shared.web.dependencies import each_query_parameter_once
from werkstattnetz_shared.web.docs import install_offline_docs
from werkstattnetz_shared.web.edge import HttpEdgeMiddleware
from werkstattnetz_shared.web.errors import install_error_handlers
from werkstattnetz_shared.web.health import router as health_router
from werkstattnetz_shared.web.metrics import install_metrics


def create_service_app(
    *,
    title: str,
    description: str,
    settings: ServiceSettings,
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]],
) -> FastAPI:
    # FastAPI's own /docs and /redoc load Swagger UI and ReDoc from a CDN; ours serve them locally.
    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(each_query_parameter_once)],
    )
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(
        secret=settings.jwt_secret,
        algorithm=settings.jwt_algorithm,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    app.state.readiness_checks = {}
    install_error_handlers(app)
    install_offline_docs(app)
    app.include_router(health_router)
    service_metrics = install_metrics(app)
    app.add_middleware(HttpEdgeMiddleware, metrics=service_metrics.http)
    return app


def request_correlation_id() -> uuid.UUID:
    """The correlation id of the request being served (a new one outside a request)."""
    value = current_correlation_id.get()
    return uuid.UUID(value) if value else uuid.uuid4()
