"""The background side of a service: outbox relay, consumers and the readiness checks for them.

Kafka may be down when a service starts; the HTTP API still comes up and accepts writes (they wait
in the outbox), and topics and consumers are set up as soon as the broker answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from werkstattnetz_shared.messaging.consumer import ConsumerSettings, EnvelopeHandler, ReliableConsumer
from werkstattnetz_shared.messaging.producer import idempotent_producer
from werkstattnetz_shared.messaging.relay import OutboxRelay
from werkstattnetz_shared.messaging.topics import dead_letter_topic, ensure_topics
from werkstattnetz_shared.settings import ServiceSettings

log = logging.getLogger(__name__)


class MessagingRuntime:
    """Topic names are given unprefixed; the settings' `kafka_topic_prefix` is applied here."""

    def __init__(
        self,
        settings: ServiceSettings,
        pool: asyncpg.Pool,
        *,
        service_name: str,
        own_topic: str,
        consumed_topics: Sequence[str] = (),
        handler: EnvelopeHandler | None = None,
    ) -> None:
        self._settings = settings
        self._service_name = service_name
        self._own_topic = settings.topic(own_topic)
        self._consumed_topics = tuple(settings.topic(name) for name in consumed_topics)
        self.relay = OutboxRelay(
            pool,
            lambda: idempotent_producer(settings.kafka_bootstrap_servers, f"{service_name}-relay"),
            poll_interval=settings.outbox_poll_interval_s,
        )
        self.consumer: ReliableConsumer | None = None
        if handler is not None and self._consumed_topics:
            self.consumer = ReliableConsumer(
                ConsumerSettings(
                    bootstrap_servers=settings.kafka_bootstrap_servers,
                    group_id=settings.topic(service_name),
                    topics=self._consumed_topics,
                    max_attempts=settings.consumer_max_attempts,
                    retry_backoff_s=settings.consumer_retry_backoff_s,
                ),
                handler,
                lambda: idempotent_producer(settings.kafka_bootstrap_servers, f"{service_name}-dlq"),
            )
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def topics_to_ensure(self) -> list[str]:
        consumed = [*self._consumed_topics, *map(dead_letter_topic, self._consumed_topics)]
        return [self._own_topic, *consumed]

    def start(self) -> None:
        self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        self._tasks.append(asyncio.create_task(self._set_up_topics_then_consume(), name="consumer"))

    async def stop(self, timeout_s: float = 15.0) -> None:
        """Cancel relay and consumer; a task that does not finish in time is left to the exit."""
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            _, unfinished = await asyncio.wait(self._tasks, timeout=timeout_s)
            for task in unfinished:
                log.warning("%s did not stop within %.0fs", task.get_name(), timeout_s)
        self._tasks.clear()

    async def _set_up_topics_then_consume(self) -> None:
        delay = 0.5
        while True:
            try:
                await ensure_topics(
                    self._settings.kafka_bootstrap_servers,
                    self.topics_to_ensure,
                    self._settings.topic_settings,
                )
                break
            except Exception as error:  # noqa: BLE001 - Kafka not there yet: try again
                log.warning("topics not set up yet: %r", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
        if self.consumer is not None:
            await self.consumer.run()

    async def check_kafka(self) -> None:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=self._settings.kafka_bootstrap_servers, request_timeout_ms=2500
        )
        try:
            await admin.start()
            await admin.list_topics()
        finally:
            with contextlib.suppress(Exception):
                await admin.close()
