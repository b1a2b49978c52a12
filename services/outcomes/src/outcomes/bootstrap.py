"""Composition root: connects the database, migrates, starts relay, consumer and the follow-up timer,
wires the app."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.entrypoints.event_handlers import outcomes_event_handler
from outcomes.entrypoints.follow_up_timer import FollowUpTimer
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS
from werkstattnetz_shared.runtime import MessagingRuntime
from werkstattnetz_shared.web.lifespan import background_messaging, service_database

SERVICE_NAME = "outcomes"
MIGRATIONS = Path(__file__).parent / "migrations"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: OutcomesSettings = app.state.settings
    async with service_database(app, settings, MIGRATIONS) as pool:

        def unit_of_work() -> OutcomesUnitOfWork:
            return OutcomesUnitOfWork(pool, settings)

        runtime = MessagingRuntime(
            settings,
            pool,
            service_name=SERVICE_NAME,
            own_topic=OUTCOMES_EVENTS,
            consumed_topics=[INTAKE_EVENTS, PLACEMENT_EVENTS],
            handler=outcomes_event_handler(unit_of_work),
            metrics=app.state.metrics.messaging,
        )
        app.state.unit_of_work = unit_of_work
        follow_up_timer = FollowUpTimer(unit_of_work, poll_interval_s=settings.follow_up_poll_s)
        app.state.follow_up_timer = follow_up_timer
        async with background_messaging(app, runtime):
            runtime.supervise("follow-up-timer", follow_up_timer.run)
            yield
