"""Composition root: database, migrations, consumer and relay, the delivery dispatcher, the inbox
broadcaster, the app state."""

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from notifications.adapters.rendering import Rendering
from notifications.adapters.smtp_mailer import SmtpMailer
from notifications.adapters.webhook_caller import WebhookCaller
from notifications.adapters.webhook_sender import WebhookSender
from notifications.application.recording import Recording
from notifications.application.sending import Channels
from notifications.application.unit_of_work import CONSUMER_NAME, NotificationsUnitOfWork
from notifications.domain.delivery import RetryPolicy
from notifications.entrypoints.delivery_metrics import DeliveryGauges
from notifications.entrypoints.event_handlers import notifications_event_handler
from notifications.entrypoints.inbox_stream import InboxBroadcaster
from notifications.entrypoints.mail_dispatcher import DeliveryDispatcher
from notifications.settings import NotificationsSettings
from werkstattnetz_shared.messaging.topics import (
    INTAKE_EVENTS,
    NOTIFICATIONS_EVENTS,
    OUTCOMES_EVENTS,
    PLACEMENT_EVENTS,
)
from werkstattnetz_shared.runtime import MessagingRuntime
from werkstattnetz_shared.web.lifespan import background_messaging, service_database
from werkstattnetz_shared.web.serving import when_shutdown_starts

SERVICE_NAME = CONSUMER_NAME
MIGRATIONS = Path(__file__).parent / "migrations"


def retry_policy(settings: NotificationsSettings) -> RetryPolicy:
    return RetryPolicy(
        max_attempts=settings.mail_max_attempts,
        first_backoff=dt.timedelta(seconds=settings.mail_retry_backoff_s),
        max_backoff=dt.timedelta(seconds=settings.mail_retry_backoff_max_s),
    )


def recording_of(settings: NotificationsSettings) -> Recording:
    return Recording(
        templates=Rendering(settings.front_end_base_url),
        sender=settings.mail_from,
        office_email=settings.staff_email,
        zone=ZoneInfo(settings.timezone),
        caseworker_wait=dt.timedelta(seconds=settings.caseworker_wait_s),
        digest_time=dt.time.fromisoformat(settings.digest_time),
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: NotificationsSettings = app.state.settings
    recording = recording_of(settings)
    async with service_database(app, settings, MIGRATIONS) as pool:

        def unit_of_work() -> NotificationsUnitOfWork:
            return NotificationsUnitOfWork(pool, settings)

        runtime = MessagingRuntime(
            settings,
            pool,
            service_name=SERVICE_NAME,
            own_topic=NOTIFICATIONS_EVENTS,
            consumed_topics=[INTAKE_EVENTS, PLACEMENT_EVENTS, OUTCOMES_EVENTS],
            handler=notifications_event_handler(
                unit_of_work, recording, dt.timedelta(hours=settings.offer_reminder_lead_h)
            ),
            metrics=app.state.metrics.messaging,
        )
        webhook_sender = WebhookSender(timeout_s=settings.webhook_timeout_s)
        await webhook_sender.start()
        mailer = SmtpMailer(settings)
        dispatcher = DeliveryDispatcher(
            pool,
            unit_of_work,
            Channels(mailer=mailer, webhooks=WebhookCaller(webhook_sender)),
            retry_policy(settings),
            recording,
            poll_interval_s=settings.mail_poll_interval_s,
            senders=settings.mail_senders,
        )
        broadcaster = InboxBroadcaster(pool)
        app.state.unit_of_work = unit_of_work
        app.state.inbox_broadcaster = broadcaster
        app.state.metrics.refresh_when_scraped(
            DeliveryGauges(app.state.metrics.registry, unit_of_work).refresh
        )
        try:
            async with background_messaging(app, runtime):
                runtime.supervise("delivery-dispatcher", dispatcher.run)
                runtime.supervise("inbox-broadcaster", broadcaster.run)
                when_shutdown_starts(app, broadcaster.close)
                try:
                    yield
                finally:
                    broadcaster.close()
        finally:
            await webhook_sender.close()
            await mailer.close()
