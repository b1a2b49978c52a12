"""The lifespan skeleton every service shares: its database, then its background messaging.

A service's `bootstrap.lifespan` composes the two:

    async with service_database(app, settings, MIGRATIONS) as pool:
        runtime = MessagingRuntime(settings, pool, ..., metrics=app.state.metrics.messaging)
        app.state.unit_of_work = ...
        async with background_messaging(app, runtime):
            yield

The pool is closed even when migrating fails, and the background tasks are stopped before it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
from fastapi import FastAPI

from werkstattnetz_shared.db.checks import database_check
from werkstattnetz_shared.db.migrations import migrate_to_head
from werkstattnetz_shared.db.pool import close_pool, connect_pool
from werkstattnetz_shared.runtime import MessagingRuntime
from werkstattnetz_shared.settings import ServiceSettings
from werkstattnetz_shared.web.metrics import ServiceMetrics


@asynccontextmanager
async def service_database(
    app: FastAPI, settings: ServiceSettings, migrations: Path
) -> AsyncIterator[asyncpg.Pool]:
    """Wait for the database, migrate it to head, and report it in readiness."""
    pool = await connect_pool(settings.database_url)
    try:
        await migrate_to_head(settings.database_url, migrations)
        app.state.readiness_checks["database"] = database_check(pool)
        yield pool
    finally:
        await close_pool(pool)


@asynccontextmanager
async def background_messaging(app: FastAPI, runtime: MessagingRuntime) -> AsyncIterator[MessagingRuntime]:
    """Start relay, consumer and retention (supervised); stop them when the app stops."""
    runtime.start()
    app.state.runtime = runtime
    app.state.readiness_checks.update(runtime.readiness_checks)
    service_metrics: ServiceMetrics = app.state.metrics
    service_metrics.refresh_when_scraped(runtime.refresh_gauges)
    try:
        yield runtime
    finally:
        await runtime.stop()
