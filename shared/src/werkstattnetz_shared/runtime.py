"""The background side of a service: outbox relay, consumer, retention job — supervised — and the
readiness checks for them.

Kafka may be down when a service starts; the HTTP API still comes up and accepts writes (they wait
in the outbox), and topics and consumers are set up as soon as the broker answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from werkstattnetz_shared.messaging.consumer import ConsumerSettings, ReliableConsumer
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.metrics import MessagingMetrics
from werkstattnetz_shared.messaging.producer import idempotent_producer
from werkstattnetz_shared.messaging.relay import OutboxRelay
from werkstattnetz_shared.messaging.retention import Purge, RetentionJob, messaging_purges
from werkstattnetz_shared.messaging.topics import dead_letter_topic, ensure_topics
from werkstattnetz_shared.settings import ServiceSettings
from werkstattnetz_shared.supervision import Supervisor

log = logging.getLogger(__name__)

ReadinessCheck = Callable[[], Awaitable[None]]


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
        handler: EventHandler | None = None,
        metrics: MessagingMetrics | None = None,
        extra_purges: Sequence[Purge] = (),
    ) -> None:
        self._settings = settings
        self._pool = pool
        self._service_name = service_name
        self._own_topic = settings.topic(own_topic)
        self._consumed_topics = tuple(settings.topic(name) for name in consumed_topics)
        self.metrics = metrics or MessagingMetrics()
        self.supervisor = Supervisor(self.metrics)
        self.relay = OutboxRelay(
            pool,
            lambda: idempotent_producer(settings.kafka_bootstrap_servers, f"{service_name}-relay"),
            poll_interval=settings.outbox_poll_interval_s,
            takeover_grace_s=settings.outbox_relay_takeover_grace_s,
            metrics=self.metrics,
        )
        self.retention = RetentionJob(
            pool,
            [
                *messaging_purges(settings.outbox_retention_days, settings.inbox_purge_after_days),
                Purge(
                    "idempotency_keys",
                    "created_at",
                    dt.timedelta(hours=settings.idempotency_key_retention_hours),
                ),
                *extra_purges,
            ],
            interval_s=settings.retention_interval_s,
            metrics=self.metrics,
        )
        self.consumer: ReliableConsumer | None = None
        if handler is not None and self._consumed_topics:
            self.consumer = ReliableConsumer(
                ConsumerSettings(
                    bootstrap_servers=settings.kafka_bootstrap_servers,
                    group_id=settings.topic(service_name),
                    topics=self._consumed_topics,
                    group_instance_id=settings.group_instance_id(service_name),
                    max_attempts=settings.consumer_max_attempts,
                    retry_backoff_s=settings.consumer_retry_backoff_s,
                    commit_every_messages=settings.consumer_commit_every_messages,
                    commit_every_s=settings.consumer_commit_every_s,
                    session_timeout_ms=settings.kafka_session_timeout_ms,
                ),
                handler,
                lambda: idempotent_producer(settings.kafka_bootstrap_servers, f"{service_name}-dlq"),
                self.metrics,
            )

    @property
    def topics_to_ensure(self) -> list[str]:
        consumed = [*self._consumed_topics, *map(dead_letter_topic, self._consumed_topics)]
        return [self._own_topic, *consumed]

    @property
    def readiness_checks(self) -> dict[str, ReadinessCheck]:
        return {"kafka": self.check_kafka, "background_tasks": self.supervisor.readiness_check}

    def start(self) -> None:
        self.supervisor.supervise("outbox-relay", self.relay.run)
        self.supervisor.supervise("consumer", self._set_up_topics_then_consume)
        self.supervisor.supervise("retention", self.retention.run)

    def supervise(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        """Run a service's own background loop under the same supervision."""
        self.supervisor.supervise(name, run)

    async def refresh_gauges(self) -> None:
        """Gauges read from the database when metrics are scraped (outbox backlog and age)."""
        await self.metrics.refresh_outbox_gauges(self._pool)

    async def stop(self, timeout_s: float = 15.0) -> None:
        await self.supervisor.stop(timeout_s)

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
        else:
            await asyncio.Event().wait()  # nothing to consume: stay up, so supervision sees no exit

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
