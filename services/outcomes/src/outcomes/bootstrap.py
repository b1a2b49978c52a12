"""Composition root: connects the database, migrates, starts relay and consumer, wires the app."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.entrypoints.event_handlers import event_handler
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.db.checks import database_check
from werkstattnetz_shared.db.migrations import migrate_to_head
from werkstattnetz_shared.db.pool import close_pool, connect_pool
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS
from werkstattnetz_shared.runtime import MessagingRuntime

SERVICE_NAME = "outcomes"
MIGRATIONS = Path(__file__).parent / "migrations"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: OutcomesSettings = app.state.settings
    pool = await connect_pool(settings.database_url)
    await migrate_to_head(settings.database_url, MIGRATIONS)

    def unit_of_work() -> OutcomesUnitOfWork:
        return OutcomesUnitOfWork(pool, settings)

    runtime = MessagingRuntime(
        settings,
        pool,
        service_name=SERVICE_NAME,
        own_topic=OUTCOMES_EVENTS,
        consumed_topics=[INTAKE_EVENTS, PLACEMENT_EVENTS],
        handler=event_handler(unit_of_work),
    )
    runtime.start()
    app.state.unit_of_work = unit_of_work
    app.state.runtime = runtime
    app.state.readiness_checks.update(database=database_check(pool), **runtime.readiness_checks)
    try:
        yield
    finally:
        await runtime.stop()
        await close_pool(pool)
