"""kill -9 between sending and recording: notifications runs as a real process (`python -m
notifications`) and dies while the mail server or the partner holds its answer back, after the
message has arrived there. After the restart the message is sent again — the same message, with
the same Message-ID or Idempotency-Key, so the receiver can tell it is a copy — and the delivery
is recorded and announced once. At least once, never lost, always deduplicable."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest

from notifications.domain.delivery import message_id_for
from notifications.settings import NotificationsSettings
from tests.integration.notifications.conftest import (
    MAIL_FROM,
    STAFF_EMAIL,
    NotificationsUnderTest,
    SmtpServer,
)
from tests.integration.notifications.helpers import (
    message_id,
    placed,
    subscribe_webhook,
    wait_for_delivery,
)
from tests.support.kafka_tools import collect_events, create_topics, unique_prefix
from tests.support.served_app import free_port
from tests.support.service_process import ServiceProcess
from tests.support.webhook_receiver import WebhookReceiver
from werkstattnetz_devstack.testing import PostgresForTests
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.messaging.topics import (
    INTAKE_EVENTS,
    NOTIFICATIONS_EVENTS,
    OUTCOMES_EVENTS,
    PLACEMENT_EVENTS,
)

pytestmark = pytest.mark.integration

HOLD_TIMEOUT_S = 60.0
"""Longer than any test waits: the sender must not give up on its own before it is killed."""
SETTINGS_IN_THE_ENVIRONMENT = (
    "database_url",
    "kafka_bootstrap_servers",
    "kafka_topic_prefix",
    "http_port",
    "outbox_poll_interval_s",
    "smtp_host",
    "smtp_port",
    "smtp_timeout_s",
    "staff_email",
    "mail_from",
    "mail_poll_interval_s",
    "mail_retry_backoff_s",
    "mail_retry_backoff_max_s",
    "webhook_timeout_s",
)


class HoldTheFirstMail:
    """The SMTP server's `before_accepting` hook: the first mail has arrived in full, but its "250"
    waits until the test says so (the sender is killed meanwhile); later mails pass at once."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.released = threading.Event()
        self._held = False

    async def __call__(self) -> None:
        if self._held:
            return
        self._held = True
        self.arrived.set()
        # In a worker thread: the SMTP server's loop must stay free for the copy after the restart.
        await asyncio.to_thread(self.released.wait, HOLD_TIMEOUT_S)


@asynccontextmanager
async def notifications_as_a_process(
    kafka_broker: object, postgres_server: PostgresForTests, smtp: SmtpServer, log: Path
) -> AsyncIterator[tuple[ServiceProcess, NotificationsUnderTest]]:
    """`python -m notifications` with settings from its environment; an HTTP client to it."""
    settings = NotificationsSettings(
        database_url=postgres_server.create_database(f"notifications_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka_broker.bootstrap_servers,  # type: ignore[attr-defined]
        kafka_topic_prefix=unique_prefix(),
        http_port=free_port(),
        outbox_poll_interval_s=0.2,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_timeout_s=HOLD_TIMEOUT_S,
        staff_email=STAFF_EMAIL,
        mail_from=MAIL_FROM,
        mail_poll_interval_s=0.2,
        mail_retry_backoff_s=0.2,
        mail_retry_backoff_max_s=0.5,
        webhook_timeout_s=HOLD_TIMEOUT_S,
    )
    topics = (INTAKE_EVENTS, PLACEMENT_EVENTS, OUTCOMES_EVENTS, NOTIFICATIONS_EVENTS)
    await create_topics(settings.kafka_bootstrap_servers, *(settings.topic(name) for name in topics))
    environment = os.environ | {
        name.upper(): str(getattr(settings, name)) for name in SETTINGS_IN_THE_ENVIRONMENT
    }
    environment |= {"HTTP_HOST": "127.0.0.1", "ENVIRONMENT": "test"}
    environment.pop("JWT_SECRET", None)  # the tests' tokens are signed with the development secret
    environment.pop("KAFKA_GROUP_INSTANCE_ID", None)  # derived from the port: stable across restarts
    service = ServiceProcess("notifications", settings.http_port, environment, log)
    service.start()
    try:
        await asyncio.to_thread(service.wait_until_ready)
        async with httpx.AsyncClient(base_url=service.url, timeout=10.0) as client:
            yield service, NotificationsUnderTest(client=client, settings=settings)
    finally:
        service.stop()


async def restart(service: ServiceProcess) -> None:
    service.start()
    await asyncio.to_thread(service.wait_until_ready)


async def sent_announcements(service: NotificationsUnderTest, delivery_id: str) -> list[EventEnvelope]:
    """Every NotificationSent about the delivery, in the outbox and on the topic; read once the
    topic holds all the outbox has (a resent announcement would have reached it by then too)."""
    connection = await asyncpg.connect(service.settings.database_url)
    try:
        rows = await connection.fetch("SELECT payload FROM outbox ORDER BY id")
    finally:
        await connection.close()
    written = [EventEnvelope.from_json_bytes(row["payload"].encode()) for row in rows]
    await asyncio.sleep(1.0)  # several relay polls: time for a duplicate to be published
    published = await collect_events(
        service.settings.kafka_bootstrap_servers,
        service.topic(NOTIFICATIONS_EVENTS),
        until=lambda events: {e.event_id for e in written} <= {e.event_id for e in events},
    )

    def about(events: list[EventEnvelope]) -> list[EventEnvelope]:
        return [
            e for e in events if e.event_type == "NotificationSent" and e.data["delivery_id"] == delivery_id
        ]

    assert len(about(written)) == 1, about(written)
    return about(published)


async def test_a_mail_accepted_while_the_service_is_killed_is_sent_again_as_the_same_message(
    kafka_broker: object, postgres_server: PostgresForTests, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    hold = HoldTheFirstMail()
    smtp_server.before_accepting(hold)
    envelope = placed()
    async with notifications_as_a_process(
        kafka_broker, postgres_server, smtp_server, tmp_path / "notifications.log"
    ) as (process, service):
        await service.publish_placement_event(envelope)
        assert await asyncio.to_thread(hold.arrived.wait, 30), "the mail never reached the SMTP server"
        process.kill()
        # The server keeps what it received (see conftest's SMTP handler); the hook may end.
        hold.released.set()
        await restart(process)
        mails = await smtp_server.wait_for_mails(2)
        sent = await wait_for_delivery(service, "email", "sent")
        announced = await sent_announcements(service, str(sent["delivery_id"]))
        await asyncio.sleep(1.0)  # time for a third copy, which must not come
        mails = smtp_server.mails

    assert process.kills == 1
    assert len(mails) == 2
    assert {message_id(mail) for mail in mails} == {
        message_id_for(envelope.event_id, MAIL_FROM, "placement", "office")
    }
    first, copy = mails
    for header in ("Date", "Subject", "To", "From"):
        assert first[header] == copy[header], header
    assert first.get_body(("plain",)).get_content() == copy.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    # The attempt that was cut off left nothing behind: one attempt, recorded as sent once.
    assert sent["attempts"] == 1
    assert sent["recipient"] == STAFF_EMAIL
    assert len(announced) == 1


async def test_a_webhook_call_answered_after_the_service_was_killed_is_made_again_with_the_same_key(
    kafka_broker: object, postgres_server: PostgresForTests, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    path = "/hooks/partner"
    envelope = placed()
    async with (
        WebhookReceiver() as receiver,
        notifications_as_a_process(
            kafka_broker, postgres_server, smtp_server, tmp_path / "notifications.log"
        ) as (
            process,
            service,
        ),
    ):
        await subscribe_webhook(service, receiver, path, ("placement",))
        receiver.respond_slowly(HOLD_TIMEOUT_S)
        await service.publish_placement_event(envelope)
        await receiver.wait_for_calls(path, 1, timeout_s=30)
        process.kill()
        receiver.behave()
        await restart(process)
        calls = await receiver.wait_for_calls(path, 2, timeout_s=30)
        sent = await wait_for_delivery(service, "webhook", "sent")
        announced = await sent_announcements(service, str(sent["delivery_id"]))
        await asyncio.sleep(1.0)  # time for a third call, which must not come
        calls = receiver.calls(path)

    assert process.kills == 1
    assert len(calls) == 2
    assert receiver.distinct_idempotency_keys(path) == {calls[0].idempotency_key}
    assert calls[0].body == calls[1].body
    assert all(call.signature_verified for call in calls)
    assert calls[1].answered_status == 200
    assert sent["attempts"] == 1
    assert len(announced) == 1
