"""Builds placement's FastAPI app; nothing is connected until the lifespan runs."""

from fastapi import FastAPI

from placement.bootstrap import lifespan
from placement.entrypoints.attendance_routes import router as attendance_router
from placement.entrypoints.http_routes import router
from placement.settings import PlacementSettings
from werkstattnetz_shared.web.app import create_service_app


def create_app(settings: PlacementSettings | None = None) -> FastAPI:
    app = create_service_app(
        title="werkstattnetz placement",
        description="Workshop seats and waitlists. Knows participants only by their pseudonymous id.",
        settings=settings or PlacementSettings(),
        lifespan=lifespan,
    )
    app.include_router(router)
    app.include_router(attendance_router)
    return app
