"""Composition root: connects the database, migrates, starts relay and consumer, wires the app."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from intake.application.unit_of_work import CONSUMER_NAME, IntakeUnitOfWork
from intake.entrypoints.event_handlers import intake_event_handler
from intake.settings import IntakeSettings
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS
from werkstattnetz_shared.runtime import MessagingRuntime
from werkstattnetz_shared.web.lifespan import background_messaging, service_database

SERVICE_NAME = CONSUMER_NAME
MIGRATIONS = Path(__file__).parent / "migrations"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: IntakeSettings = app.state.settings
    async with service_database(app, settings, MIGRATIONS) as pool:

        def unit_of_work() -> IntakeUnitOfWork:
            return IntakeUnitOfWork(pool, settings)

        runtime = MessagingRuntime(
            settings,
            pool,
            service_name=SERVICE_NAME,
            own_topic=INTAKE_EVENTS,
            consumed_topics=[OUTCOMES_EVENTS],
            handler=intake_event_handler(unit_of_work),
            metrics=app.state.metrics.messaging,
        )
        app.state.unit_of_work = unit_of_work
        async with background_messaging(app, runtime):
            yield
