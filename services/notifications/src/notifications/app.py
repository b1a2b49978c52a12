"""Builds notifications' FastAPI app; nothing is connected until the lifespan runs."""

from fastapi import FastAPI

from notifications.bootstrap import lifespan
from notifications.entrypoints.admin_routes import admin_router
from notifications.entrypoints.http_routes import router
from notifications.entrypoints.inbox_routes import inbox_router
from notifications.settings import NotificationsSettings
from werkstattnetz_shared.web.app import create_service_app


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    app = create_service_app(
        title="werkstattnetz notifications",
        description="Tells the right staff member (mail, inbox with a live stream) and partner systems "
        "(signed webhooks) about placements, offers, absences, follow-ups and integrations, exactly once.",
        settings=settings or NotificationsSettings(),
        lifespan=lifespan,
    )
    app.include_router(router)
    app.include_router(admin_router)
    app.include_router(inbox_router)
    return app
