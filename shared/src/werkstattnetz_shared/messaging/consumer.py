"""A Kafka consumer that never acks and forgets.

Messages of each partition are handled one at a time and the offset is committed only after the
handler's transaction committed. A message that cannot be parsed, or whose handler still fails
after a bounded number of attempts, is parked in `<topic>.dlq` with headers naming the error and
its source position, and the consumer goes on with the next message. Failures of the
infrastructure itself (database or broker unreachable) are not the message's fault: they pause
the consumer and the message is tried again, without counting against its attempts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import KafkaError

from werkstattnetz_shared.events.envelope import EventEnvelope
from werkstattnetz_shared.logging import bind_event_context
from werkstattnetz_shared.messaging.dead_letters import dead_letter_record
from werkstattnetz_shared.messaging.shutdown import stop_within

log = logging.getLogger(__name__)

EnvelopeHandler = Callable[[EventEnvelope], Awaitable[None]]

INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    KafkaError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
)


@dataclass(frozen=True)
class ConsumerSettings:
    bootstrap_servers: str
    group_id: str
    topics: tuple[str, ...]
    max_attempts: int = 3
    retry_backoff_s: float = 0.2
    infrastructure_backoff_initial_s: float = 0.5
    infrastructure_backoff_max_s: float = 15.0


class ReliableConsumer:
    def __init__(
        self,
        settings: ConsumerSettings,
        handler: EnvelopeHandler,
        dead_letter_producer: Callable[[], AIOKafkaProducer],
    ) -> None:
        self._settings = settings
        self._handler = handler
        self._dead_letter_producer_factory = dead_letter_producer
        self.handled_total = 0
        self.dead_lettered_total = 0

    async def run(self) -> None:
        """Consume until cancelled; a broker outage only restarts the loop after a pause."""
        backoff = 0.5
        while True:
            consumer = self._new_consumer()
            producer = self._dead_letter_producer_factory()
            try:
                await consumer.start()
                await producer.start()
                backoff = 0.5
                await self._consume(consumer, producer)
            except asyncio.CancelledError:
                raise
            except INFRASTRUCTURE_ERRORS as error:
                log.warning("consumer %s paused: %r", self._settings.group_id, error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._settings.infrastructure_backoff_max_s)
            finally:
                await _stop_quietly(consumer, producer)

    def _new_consumer(self) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            *self._settings.topics,
            bootstrap_servers=self._settings.bootstrap_servers,
            group_id=self._settings.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=100,
            isolation_level="read_committed",
        )

    async def _consume(self, consumer: AIOKafkaConsumer, producer: AIOKafkaProducer) -> None:
        async for record in consumer:
            await self._handle_record(record, producer)
            tp = TopicPartition(record.topic, record.partition)
            await consumer.commit({tp: record.offset + 1})

    async def _handle_record(self, record: ConsumerRecord[bytes, bytes], producer: AIOKafkaProducer) -> None:
        try:
            envelope = EventEnvelope.from_json_bytes(record.value or b"")
        except ValueError as error:
            await self._dead_letter(record, producer, error, attempts=0)
            return
        with bind_event_context(envelope.event_id, envelope.correlation_id):
            await self._handle_with_retries(record, envelope, producer)

    async def _handle_with_retries(
        self, record: ConsumerRecord[bytes, bytes], envelope: EventEnvelope, producer: AIOKafkaProducer
    ) -> None:
        attempt = 0
        infrastructure_backoff = self._settings.infrastructure_backoff_initial_s
        while True:
            try:
                await self._handler(envelope)
            except INFRASTRUCTURE_ERRORS as error:
                log.warning("infrastructure failure while handling, retrying: %r", error)
                await asyncio.sleep(infrastructure_backoff)
                infrastructure_backoff = min(
                    infrastructure_backoff * 2, self._settings.infrastructure_backoff_max_s
                )
                continue
            except Exception as error:  # noqa: BLE001 - the message's own fault: bounded retries
                attempt += 1
                log.warning(
                    "handler failed (attempt %d of %d): %r", attempt, self._settings.max_attempts, error
                )
                if attempt >= self._settings.max_attempts:
                    await self._dead_letter(record, producer, error, attempts=attempt)
                    return
                await asyncio.sleep(self._settings.retry_backoff_s * attempt)
                continue
            self.handled_total += 1
            return

    async def _dead_letter(
        self,
        record: ConsumerRecord[bytes, bytes],
        producer: AIOKafkaProducer,
        error: BaseException,
        *,
        attempts: int,
    ) -> None:
        topic, key, value, headers = dead_letter_record(record, self._settings.group_id, error, attempts)
        # Waiting for the acknowledgement before the offset commit: a parked message is never lost.
        await producer.send_and_wait(topic, value=value, key=key, headers=headers)
        self.dead_lettered_total += 1
        log.error(
            "message parked in dead-letter topic",
            extra={"dlq_topic": topic, "source_offset": record.offset, "error": repr(error)},
        )


async def _stop_quietly(consumer: AIOKafkaConsumer, producer: AIOKafkaProducer) -> None:
    for client in (consumer, producer):
        await stop_within(client)
