"""A Kafka consumer that never acks and forgets.

Messages of each partition are handled one at a time; an offset is committed (in batches) only
after the handler's transaction committed. A message that cannot be parsed, or whose handler
still fails after a bounded number of attempts, is parked in `<topic>.dlq` with headers naming
the error and its source position, and the consumer goes on with the next message. Failures of
the infrastructure (database or broker unavailable) are not the message's fault: they pause the
partition and the message is tried again, without counting against its attempts and without
ever being dead-lettered (see `record_handling` and `polling`).

With a `group_instance_id` the consumer is a static group member: restarted after a crash under
the same id, it takes its partitions back at once instead of waiting for the dead member's
session to expire; on a normal shutdown it leaves the group explicitly so its partitions move to
the other replicas immediately.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from werkstattnetz_shared.faults import is_infrastructure_failure
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.metrics import MessagingMetrics
from werkstattnetz_shared.messaging.offsets import PendingOffsets
from werkstattnetz_shared.messaging.polling import PollingSession
from werkstattnetz_shared.messaging.record_handling import Outcome, RecordHandling
from werkstattnetz_shared.messaging.shutdown import stop_within
from werkstattnetz_shared.messaging.static_membership import leave_group_as_static_member

log = logging.getLogger(__name__)

LEAVE_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ConsumerSettings:
    bootstrap_servers: str
    group_id: str
    topics: tuple[str, ...]
    group_instance_id: str | None = None
    max_attempts: int = 3
    retry_backoff_s: float = 0.2
    infrastructure_backoff_initial_s: float = 0.5
    infrastructure_backoff_max_s: float = 15.0
    commit_every_messages: int = 100
    commit_every_s: float = 1.0
    # The broker's default group.min.session.timeout.ms is 6 s; a dead member's partitions move
    # to the others after this long, a restarted static member gets them back at once.
    session_timeout_ms: int = 10_000
    heartbeat_interval_ms: int = 1_000
    # A member that does not poll for this long is thrown out of the group; ours polls even while
    # a partition waits out an outage.
    max_poll_interval_ms: int = 300_000


class ReliableConsumer:
    def __init__(
        self,
        settings: ConsumerSettings,
        handler: EventHandler,
        dead_letter_producer: Callable[[], AIOKafkaProducer],
        metrics: MessagingMetrics | None = None,
    ) -> None:
        self._settings = settings
        self._metrics = metrics or MessagingMetrics()
        self._handling = RecordHandling(
            settings.group_id,
            handler,
            self._metrics,
            max_attempts=settings.max_attempts,
            retry_backoff_s=settings.retry_backoff_s,
        )
        self._dead_letter_producer_factory = dead_letter_producer

    @property
    def handled_total(self) -> int:
        return self._handling.outcomes[Outcome.HANDLED]

    @property
    def dead_lettered_total(self) -> int:
        return self._handling.outcomes[Outcome.DEAD_LETTERED]

    def count(self, outcome: Outcome) -> int:
        """How many messages this consumer finished with `outcome` since it was built."""
        return self._handling.outcomes[outcome]

    async def run(self) -> None:
        """Consume until cancelled. A broker outage that escapes the client only rebuilds it."""
        backoff = self._settings.infrastructure_backoff_initial_s
        while True:
            try:
                await self._consume_with_new_clients()
                return
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not is_infrastructure_failure(error):
                    raise  # a bug: the supervisor logs it and restarts us
                log.warning("consumer %s paused: %r", self._settings.group_id, error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._settings.infrastructure_backoff_max_s)

    async def _consume_with_new_clients(self) -> None:
        settings = self._settings
        consumer = AIOKafkaConsumer(
            bootstrap_servers=settings.bootstrap_servers,
            group_id=settings.group_id,
            group_instance_id=settings.group_instance_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=100,
            isolation_level="read_committed",
            session_timeout_ms=settings.session_timeout_ms,
            heartbeat_interval_ms=settings.heartbeat_interval_ms,
            max_poll_interval_ms=settings.max_poll_interval_ms,
        )
        producer = self._dead_letter_producer_factory()
        session = PollingSession(
            consumer,
            producer,
            self._handling,
            self._metrics,
            group_id=settings.group_id,
            offsets=PendingOffsets(
                every_messages=settings.commit_every_messages, every_s=settings.commit_every_s
            ),
            outage_backoff_initial_s=settings.infrastructure_backoff_initial_s,
            outage_backoff_max_s=settings.infrastructure_backoff_max_s,
        )
        leaving = False
        try:
            consumer.subscribe(list(settings.topics), listener=session.rebalance_listener())
            await consumer.start()
            await producer.start()
            await session.poll_forever()
        except asyncio.CancelledError:
            leaving = True  # a shutdown, not a rebuild: hand the partitions over now
            raise
        finally:
            await session.close()
            if leaving and settings.group_instance_id:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(LEAVE_TIMEOUT_S):
                        await leave_group_as_static_member(
                            consumer, settings.group_id, settings.group_instance_id
                        )
            await stop_within(consumer)
            await stop_within(producer)
