"""Builds notifications' FastAPI app; nothing is connected until the lifespan runs."""

from fastapi import FastAPI

from notifications.bootstrap import lifespan
from notifications.entrypoints.http_routes import router
from notifications.settings import NotificationsSettings
from werkstattnetz_shared.web.app import create_service_app


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    app = create_service_app(
        title="werkstattnetz notifications",
        description="E-mails staff about placements, waitlistings and integrations; lists the deliveries.",
        settings=settings or NotificationsSettings(),
        lifespan=lifespan,
    )
    app.include_router(router)
    return app
