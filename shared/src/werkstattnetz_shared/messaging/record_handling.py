"""What happens to one Kafka record: parse, check the declared version, handle with bounded
retries, or park it in the dead-letter topic.

Only the message's own faults count as attempts: an unparseable record, a contract violation, a
bug in the handler. An outage of the database or the broker is reported back as
`INFRASTRUCTURE_DOWN` without counting, so the consumer pauses the partition and tries the same
record again later; such a message is never dead-lettered.
"""

from __future__ import annotations

import asyncio
import collections
import enum
import logging
from typing import TypeAlias

from aiokafka import AIOKafkaProducer, ConsumerRecord

from werkstattnetz_shared.events.envelope import EventEnvelope
from werkstattnetz_shared.faults import is_infrastructure_failure
from werkstattnetz_shared.logging import bind_event_context
from werkstattnetz_shared.messaging.dead_letters import dead_letter_record
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.metrics import MessagingMetrics

log = logging.getLogger(__name__)

Record: TypeAlias = ConsumerRecord[bytes, bytes]


class Outcome(enum.Enum):
    HANDLED = "handled"
    DEAD_LETTERED = "dead_lettered"
    SKIPPED_UNKNOWN_TYPE = "skipped_unknown_type"
    SKIPPED_UNSUPPORTED_VERSION = "skipped_unsupported_version"
    INFRASTRUCTURE_DOWN = "infrastructure_down"

    @property
    def is_final(self) -> bool:
        """The consumer is done with the record and may commit past it."""
        return self is not Outcome.INFRASTRUCTURE_DOWN


class RecordHandling:
    def __init__(
        self,
        group_id: str,
        handler: EventHandler,
        metrics: MessagingMetrics,
        *,
        max_attempts: int,
        retry_backoff_s: float,
    ) -> None:
        self._group_id = group_id
        self._handler = handler
        self._metrics = metrics
        self._max_attempts = max_attempts
        self._retry_backoff_s = retry_backoff_s
        self.outcomes: collections.Counter[Outcome] = collections.Counter()

    async def handle(self, record: Record, producer: AIOKafkaProducer, attempts: int) -> tuple[Outcome, int]:
        """Returns the outcome and the message-fault attempts made so far (kept across pauses)."""
        try:
            envelope = EventEnvelope.from_json_bytes(record.value or b"")
        except ValueError as error:
            outcome = await self._dead_letter(record, producer, error, attempts=0)
            self._count(record, "unparseable", outcome)
            return outcome, attempts
        with bind_event_context(envelope.event_id, envelope.correlation_id):
            if not self._handler.understands(envelope):
                outcome = self._skip(envelope)
            else:
                outcome, attempts = await self._handle_with_retries(record, envelope, producer, attempts)
        self._count(record, envelope.event_type, outcome)
        return outcome, attempts

    def _skip(self, envelope: EventEnvelope) -> Outcome:
        if envelope.event_type in self._handler.event_types:
            log.warning(
                "skipping an event version this consumer does not declare",
                extra={"event_type": envelope.event_type, "event_version": envelope.event_version},
            )
            return Outcome.SKIPPED_UNSUPPORTED_VERSION
        return Outcome.SKIPPED_UNKNOWN_TYPE

    async def _handle_with_retries(
        self, record: Record, envelope: EventEnvelope, producer: AIOKafkaProducer, attempts: int
    ) -> tuple[Outcome, int]:
        while True:
            try:
                await self._handler.handle(envelope)
            except Exception as error:  # noqa: BLE001 - classified below: outage or the message's fault
                if is_infrastructure_failure(error):
                    self._metrics.handler_failures.labels(self._group_id, "infrastructure").inc()
                    log.warning("infrastructure unavailable while handling; pausing: %r", error)
                    return Outcome.INFRASTRUCTURE_DOWN, attempts
                attempts += 1
                self._metrics.handler_failures.labels(self._group_id, "message").inc()
                log.warning("handler failed (attempt %d of %d): %r", attempts, self._max_attempts, error)
                if attempts >= self._max_attempts:
                    return await self._dead_letter(record, producer, error, attempts=attempts), attempts
                # Short and bounded (max_attempts × backoff), so polling is only briefly held up.
                await asyncio.sleep(self._retry_backoff_s * attempts)
                continue
            return Outcome.HANDLED, attempts

    async def _dead_letter(
        self, record: Record, producer: AIOKafkaProducer, error: BaseException, *, attempts: int
    ) -> Outcome:
        topic, key, value, headers = dead_letter_record(record, self._group_id, error, attempts)
        try:
            # Acknowledged before the offset may be committed: a parked message is never lost.
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
        except Exception as publish_error:
            if is_infrastructure_failure(publish_error):
                log.warning("dead-letter topic unreachable; pausing: %r", publish_error)
                return Outcome.INFRASTRUCTURE_DOWN
            raise
        log.error(
            "message parked in dead-letter topic",
            extra={"dlq_topic": topic, "source_offset": record.offset, "error": repr(error)},
        )
        return Outcome.DEAD_LETTERED

    def _count(self, record: Record, event_type: str, outcome: Outcome) -> None:
        self.outcomes[outcome] += 1
        if outcome.is_final:
            self._metrics.consumed.labels(self._group_id, record.topic, event_type, outcome.value).inc()
