"""Composition root: connects the database, migrates, applies the capacities, starts messaging."""

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from placement.application import handlers
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.entrypoints.event_handlers import placement_event_handler
from placement.settings import PlacementSettings
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS
from werkstattnetz_shared.runtime import MessagingRuntime
from werkstattnetz_shared.web.lifespan import background_messaging, service_database

SERVICE_NAME = "placement"
MIGRATIONS = Path(__file__).parent / "migrations"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: PlacementSettings = app.state.settings
    async with service_database(app, settings, MIGRATIONS) as pool:

        def unit_of_work() -> PlacementUnitOfWork:
            return PlacementUnitOfWork(pool, settings)

        # Before consuming starts, so every placement decision sees the configured capacities.
        await handlers.apply_workshop_capacities(
            handlers.ApplyWorkshopCapacities(
                capacities=settings.capacities, today=dt.datetime.now(ZoneInfo(settings.timezone)).date()
            ),
            unit_of_work(),
        )
        runtime = MessagingRuntime(
            settings,
            pool,
            service_name=SERVICE_NAME,
            own_topic=PLACEMENT_EVENTS,
            consumed_topics=[INTAKE_EVENTS, OUTCOMES_EVENTS],
            handler=placement_event_handler(unit_of_work, settings.timezone),
            metrics=app.state.metrics.messaging,
        )
        app.state.unit_of_work = unit_of_work
        async with background_messaging(app, runtime):
            yield
