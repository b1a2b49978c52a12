"""Composition root: connects the database, migrates, sets the workshops up, starts messaging and
the offer timer."""

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from placement.application import handlers
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.entrypoints.event_handlers import placement_event_handler
from placement.entrypoints.offer_timer import OfferTimer
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

        policy = settings.placement_policy
        # Before consuming starts, so the first enrolment finds the workshops.
        await handlers.set_up_workshops(
            handlers.SetUpWorkshops(settings.default_seats, dt.datetime.now(dt.UTC), policy), unit_of_work
        )
        runtime = MessagingRuntime(
            settings,
            pool,
            service_name=SERVICE_NAME,
            own_topic=PLACEMENT_EVENTS,
            consumed_topics=[INTAKE_EVENTS, OUTCOMES_EVENTS],
            handler=placement_event_handler(unit_of_work, settings.timezone, policy),
            metrics=app.state.metrics.messaging,
        )
        app.state.unit_of_work = unit_of_work
        offer_timer = OfferTimer(unit_of_work, policy, poll_interval_s=settings.offer_expiry_poll_s)
        app.state.offer_timer = offer_timer
        async with background_messaging(app, runtime):
            runtime.supervise("offer-timer", offer_timer.run)
            yield
