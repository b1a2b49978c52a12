"""notifications under test: its own database and topic prefix, the real broker, a real SMTP server.

The SMTP server is aiosmtpd's, run in a thread of the test process; it keeps every mail it accepts
in memory. It can be started late (or never) to play a mail server that is down.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from notifications.app import create_app
from notifications.settings import NotificationsSettings
from tests.support.kafka_tools import create_topics, publish, unique_prefix
from tests.support.service_app import eventually, running_app
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.messaging.topics import (
    INTAKE_EVENTS,
    NOTIFICATIONS_EVENTS,
    OUTCOMES_EVENTS,
    PLACEMENT_EVENTS,
)

STAFF_EMAIL = "team@werkstatt.example"
MAIL_FROM = "werkstattnetz@werkstatt.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class KeepMailInMemory:
    """aiosmtpd handler; aiosmtpd finds its hooks by these upper-case names."""

    mails: list[EmailMessage] = field(default_factory=list)
    # Runs (in the SMTP server's thread) just before a mail is accepted: lets a test break
    # something while the sender waits for the "250".
    before_accepting: Callable[[], Awaitable[None]] | None = None
    # Recipient address → the server's reply to its RCPT TO, e.g. "550 5.1.1 no such user".
    refusals: dict[str, str] = field(default_factory=dict)
    # The client's address and port of each accepted mail: one per connection it came over.
    peers: list[Any] = field(default_factory=list)

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if (refusal := self.refusals.get(address)) is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        if self.before_accepting is not None:
            try:
                await self.before_accepting()
            except asyncio.CancelledError:
                # The sender vanished while the "250" was held back (aiosmtpd then cancels this
                # handler). A real server has queued the mail by then (RFC 1047), so it keeps it.
                self.mails.append(message)
                raise
        self.mails.append(message)
        self.peers.append(session.peer)
        return "250 Message accepted"


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self._handler = KeepMailInMemory()
        self._controller: Controller | None = None

    def before_accepting(self, hook: Callable[[], Awaitable[None]] | None) -> None:
        self._handler.before_accepting = hook

    def refuse(self, address: str, reply: str = "550 5.1.1 no such user") -> None:
        """Answer RCPT TO for `address` with `reply`, as a server that does not know the mailbox."""
        self._handler.refusals[address] = reply

    @property
    def mails(self) -> list[EmailMessage]:
        return list(self._handler.mails)

    @property
    def connections_used(self) -> int:
        """Over how many connections the accepted mails came."""
        return len(set(self._handler.peers))

    def start(self) -> None:
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def wait_for_mails(self, count: int, timeout_s: float = 30.0) -> list[EmailMessage]:
        async def arrived() -> bool:
            return len(self._handler.mails) >= count

        await eventually(arrived, timeout_s=timeout_s, what=f"{count} mail(s) at the SMTP server")
        return self.mails


@dataclass
class NotificationsUnderTest:
    client: httpx.AsyncClient
    settings: NotificationsSettings

    def topic(self, name: str) -> str:
        return self.settings.topic(name)

    async def publish_placement_event(self, envelope: EventEnvelope) -> None:
        await publish(self.settings.kafka_bootstrap_servers, self.topic(PLACEMENT_EVENTS), envelope)

    async def publish_outcomes_event(self, envelope: EventEnvelope) -> None:
        await publish(self.settings.kafka_bootstrap_servers, self.topic(OUTCOMES_EVENTS), envelope)

    async def publish_intake_event(self, envelope: EventEnvelope) -> None:
        await publish(self.settings.kafka_bootstrap_servers, self.topic(INTAKE_EVENTS), envelope)


StartNotifications = Callable[..., AbstractAsyncContextManager[NotificationsUnderTest]]


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server; tests that want it down at first use `stopped_smtp_server`."""
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    yield server
    server.stop()


@pytest.fixture
def start_notifications(kafka_broker, postgres_server) -> StartNotifications:  # type: ignore[no-untyped-def]
    """`async with start_notifications(smtp, **setting_overrides) as service:` runs the service;
    `start_notifications(smtp, replica_of=service)` runs another replica of that one."""

    @asynccontextmanager
    async def start(
        smtp: SmtpServer, replica_of: NotificationsUnderTest | None = None, **overrides: Any
    ) -> AsyncIterator[NotificationsUnderTest]:
        if replica_of is not None:  # a second replica: the same database, topics and consumer group
            async with running_app(create_app(replica_of.settings)) as client:
                yield NotificationsUnderTest(client=client, settings=replica_of.settings)
            return
        settings = NotificationsSettings(
            database_url=postgres_server.create_database(f"notifications_{uuid.uuid4().hex[:8]}"),
            kafka_bootstrap_servers=kafka_broker.bootstrap_servers,
            kafka_topic_prefix=unique_prefix(),
            outbox_poll_interval_s=0.2,
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_timeout_s=5.0,
            staff_email=STAFF_EMAIL,
            mail_from=MAIL_FROM,
            mail_poll_interval_s=0.2,
            mail_retry_backoff_s=0.2,
            mail_retry_backoff_max_s=0.5,
            **overrides,
        )
        # Created up front so test events can be published before the consumer has set them up.
        topics = (INTAKE_EVENTS, PLACEMENT_EVENTS, OUTCOMES_EVENTS, NOTIFICATIONS_EVENTS)
        await create_topics(settings.kafka_bootstrap_servers, *(settings.topic(name) for name in topics))
        async with running_app(create_app(settings)) as client:
            yield NotificationsUnderTest(client=client, settings=settings)

    return start
