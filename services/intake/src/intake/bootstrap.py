"""Composition root: connects the database, migrates, starts the outbox relay, wires the app."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from intake.application.unit_of_work import IntakeUnitOfWork
from intake.settings import IntakeSettings
from werkstattnetz_shared.db.checks import database_check
from werkstattnetz_shared.db.migrations import migrate_to_head
from werkstattnetz_shared.db.pool import close_pool, connect_pool
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS
from werkstattnetz_shared.runtime import MessagingRuntime

SERVICE_NAME = "intake"
MIGRATIONS = Path(__file__).parent / "migrations"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: IntakeSettings = app.state.settings
    pool = await connect_pool(settings.database_url)
    await migrate_to_head(settings.database_url, MIGRATIONS)
    runtime = MessagingRuntime(settings, pool, service_name=SERVICE_NAME, own_topic=INTAKE_EVENTS)
    runtime.start()
    app.state.unit_of_work = lambda: IntakeUnitOfWork(pool, settings)
    app.state.runtime = runtime
    app.state.readiness_checks.update(database=database_check(pool), **runtime.readiness_checks)
    try:
        yield
    finally:
        await runtime.stop()
        await close_pool(pool)
