"""Builds intake's FastAPI app; nothing is connected until the lifespan runs."""

from fastapi import FastAPI

from intake.bootstrap import lifespan
from intake.entrypoints.http_routes import router
from intake.settings import IntakeSettings
from werkstattnetz_shared.web.app import create_service_app


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    app = create_service_app(
        title="werkstattnetz intake",
        description="Referrals and enrolment. The only service that holds personal data.",
        settings=settings or IntakeSettings(),
        lifespan=lifespan,
    )
    app.include_router(router)
    return app
