"""The worker's small FastAPI app: the figures endpoint plus the services' usual frame (error shape,
health, HTTP edge headers, offline docs, metrics) and their JWT verification."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from outcomes_live.domain.figures import LiveFigures
from outcomes_live.domain.worker_state import WorkerState
from outcomes_live.entrypoints.http_routes import router
from outcomes_live.settings import LiveReportingSettings
from werkstattnetz_shared.web.auth import TokenVerifier
from werkstattnetz_shared.web.dependencies import each_query_parameter_once
from werkstattnetz_shared.web.docs import install_offline_docs
from werkstattnetz_shared.web.edge import HttpEdgeMiddleware
from werkstattnetz_shared.web.errors import install_error_handlers
from werkstattnetz_shared.web.health import ReadinessCheck
from werkstattnetz_shared.web.health import router as health_router
from werkstattnetz_shared.web.metrics import install_metrics


def create_http_app(settings: LiveReportingSettings, figures: LiveFigures, state: WorkerState) -> FastAPI:
    # Built like `create_service_app`, which needs a database URL this worker does not have.
    app = FastAPI(
        title="werkstattnetz live reporting",
        description="Live funder figures kept by a faust-streaming worker from the events of all services.",
        version="1.0.0",
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
    app.state.live_figures = figures
    app.state.worker_state = state
    app.state.readiness_checks = {"tables": _tables_recovered(state)}
    install_error_handlers(app)
    install_offline_docs(app)
    app.include_router(health_router)
    app.include_router(router)
    service_metrics = install_metrics(app)
    app.add_middleware(HttpEdgeMiddleware, metrics=service_metrics.http)
    return app


def _tables_recovered(state: WorkerState) -> ReadinessCheck:
    async def check() -> None:
        state.require_recovered()

    return check
