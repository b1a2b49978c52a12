"""Composition root: database, migrations, consumer and relay, the mail dispatcher, the app state."""

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from notifications.adapters.smtp_mailer import SmtpMailer
from notifications.application.unit_of_work import CONSUMER_NAME, NotificationsUnitOfWork
from notifications.domain.delivery import RetryPolicy
from notifications.entrypoints.delivery_metrics import DeliveryGauges
from notifications.entrypoints.event_handlers import notifications_event_handler
from notifications.entrypoints.mail_dispatcher import MailDispatcher
from notifications.settings import NotificationsSettings
from werkstattnetz_shared.messaging.topics import NOTIFICATIONS_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS
from werkstattnetz_shared.runtime import MessagingRuntime
from werkstattnetz_shared.web.lifespan import background_messaging, service_database

SERVICE_NAME = CONSUMER_NAME
MIGRATIONS = Path(__file__).parent / "migrations"


def retry_policy(settings: NotificationsSettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.mail_max_attempts,
        first_backoff=dt.timedelta(seconds=settings.mail_retry_backoff_s),
        max_backoff=dt.timedelta(seconds=settings.mail_retry_backoff_max_s),
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: NotificationsSettings = app.state.settings
    async with service_database(app, settings, MIGRATIONS) as pool:

        def unit_of_work() -> NotificationsUnitOfWork:
            return NotificationsUnitOfWork(pool, settings)

        runtime = MessagingRuntime(
            settings,
            pool,
            service_name=SERVICE_NAME,
            own_topic=NOTIFICATIONS_EVENTS,
            consumed_topics=[PLACEMENT_EVENTS, OUTCOMES_EVENTS],
            handler=notifications_event_handler(unit_of_work, settings),
            metrics=app.state.metrics.messaging,
        )
        dispatcher = MailDispatcher(
            pool,
            unit_of_work,
            SmtpMailer(settings),
            retry_policy(settings),
            poll_interval_s=settings.mail_poll_interval_s,
        )
        app.state.unit_of_work = unit_of_work
        app.state.metrics.refresh_when_scraped(
            DeliveryGauges(app.state.metrics.registry, unit_of_work).refresh
        )
        async with background_messaging(app, runtime):
            runtime.supervise("mail-dispatcher", dispatcher.run)
            yield
