"""Composition root: connects the database, migrates, starts the outbox relay, wires the app."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from intake.application.unit_of_work import IntakeUnitOfWork
from intake.settings import IntakeSettings
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS
from werkstattnetz_shared.runtime import MessagingRuntime
from werkstattnetz_shared.web.lifespan import background_messaging, service_database

SERVICE_NAME = "intake"
MIGRATIONS = Path(__file__).parent / "migrations"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: IntakeSettings = app.state.settings
    async with service_database(app, settings, MIGRATIONS) as pool:
        runtime = MessagingRuntime(
            settings,
            pool,
            service_name=SERVICE_NAME,
            own_topic=INTAKE_EVENTS,
            metrics=app.state.metrics.messaging,
        )
        app.state.unit_of_work = lambda: IntakeUnitOfWork(pool, settings)
        async with background_messaging(app, runtime):
            yield
