"""Builds outcomes' FastAPI app; nothing is connected until the lifespan runs."""

from fastapi import FastAPI

from outcomes.bootstrap import lifespan
from outcomes.entrypoints import assessment_routes, follow_up_routes, plan_routes
from outcomes.entrypoints.http_routes import router
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.web.app import create_service_app


def create_app(settings: OutcomesSettings | None = None) -> FastAPI:
    app = create_service_app(
        title="werkstattnetz outcomes",
        description="Exits with destination, and integration reports. Pseudonymous ids only.",
        settings=settings or OutcomesSettings(),
        lifespan=lifespan,
    )
    app.include_router(router)
    app.include_router(follow_up_routes.router)
    app.include_router(plan_routes.router)
    app.include_router(assessment_routes.router)
    return app
