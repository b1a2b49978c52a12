"""Builds outcomes' FastAPI app; nothing is connected until the lifespan runs."""

from fastapi import FastAPI

from outcomes.bootstrap import lifespan
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
    return app
