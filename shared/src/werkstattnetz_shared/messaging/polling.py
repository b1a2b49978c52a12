"""One started Kafka consumer's life: poll, hand each record over, pause on outages, commit in
batches, and hand partitions over cleanly on a rebalance.

- The loop never stops polling. A record that meets an outage pauses its partition (seeking back
  to it) and is tried again after a backoff, while `getmany` keeps being called, so the member is
  never thrown out of its group for exceeding `max.poll.interval.ms`.
- Records of one partition are handled one at a time, in order. The partitions of one topic are
  worked through concurrently (one participant's events all lie on one partition of a topic, so
  no participant is ever handled twice at once); topics one after the other, so a participant's
  events on two topics are never handled at the same time either. The work waits on database
  round trips, not on the CPU: concurrency across partitions is what lets a consumer use them.
- On a rebalance the revoked partitions' in-flight record finishes (or rolls back) first, their
  handled offsets are committed, and nothing of theirs is touched afterwards; an offset is never
  committed for a partition this consumer no longer holds.
- A commit refused because the group is rebalancing is normal: the offsets are dropped (the next
  owner starts from the last committed offset and the inbox makes the redelivery harmless).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Collection

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError

from werkstattnetz_shared.messaging.metrics import MessagingMetrics
from werkstattnetz_shared.messaging.offsets import PendingOffsets
from werkstattnetz_shared.messaging.record_handling import Outcome, Record, RecordHandling

log = logging.getLogger(__name__)

POLL_TIMEOUT_MS = 200
MAX_RECORDS_PER_PARTITION = 200
COMMIT_TIMEOUT_S = 10.0


class PollingSession:
    def __init__(
        self,
        consumer: AIOKafkaConsumer,
        producer: AIOKafkaProducer,
        handling: RecordHandling,
        metrics: MessagingMetrics,
        *,
        group_id: str,
        offsets: PendingOffsets,
        outage_backoff_initial_s: float,
        outage_backoff_max_s: float,
    ) -> None:
        self._consumer = consumer
        self._producer = producer
        self._handling = handling
        self._metrics = metrics
        self._group_id = group_id
        self._offsets = offsets
        self._backoff_initial = outage_backoff_initial_s
        self._backoff_max = outage_backoff_max_s
        # Held while a record of the partition is handled; a rebalance waits for the revoked
        # partitions' records before giving them up.
        self._in_flight: dict[TopicPartition, asyncio.Lock] = {}
        # Bumped at every revocation: records fetched before it are not handled any more.
        self._assignment_epoch = 0
        self._resume_at: dict[TopicPartition, float] = {}
        self._backoff: dict[TopicPartition, float] = {}
        self._attempts: dict[TopicPartition, tuple[int, int]] = {}
        self._next_offset: dict[TopicPartition, int] = {}

    def rebalance_listener(self) -> ConsumerRebalanceListener:
        return _HandOverOnRebalance(self)

    async def poll_forever(self) -> None:
        while True:
            batches = await self._poll()
            self._resume_partitions_whose_pause_ended()
            epoch = self._assignment_epoch
            for partitions in _by_topic(batches).values():
                if len(partitions) == 1:
                    [(tp, records)] = partitions.items()
                    await self._work_through(tp, records, epoch)
                else:
                    await asyncio.gather(
                        *(self._work_through(tp, records, epoch) for tp, records in partitions.items())
                    )
            self._report_lag()
            if self._offsets.commit_is_due:
                await self.commit()

    async def _poll(self) -> dict[TopicPartition, list[Record]]:
        """What every assigned partition has fetched, each up to a bounded batch.

        The fetcher buffers records of several partitions but `getmany` hands out one partition's
        records first; asking each other partition for what it has buffered (without waiting) lets
        their batches be worked through together.
        """
        batches: dict[TopicPartition, list[Record]] = await self._consumer.getmany(
            timeout_ms=POLL_TIMEOUT_MS, max_records=MAX_RECORDS_PER_PARTITION
        )
        if batches:
            for tp in self._consumer.assignment() - batches.keys():
                more = await self._consumer.getmany(tp, timeout_ms=0, max_records=MAX_RECORDS_PER_PARTITION)
                batches.update(more)
        return batches

    async def _work_through(self, tp: TopicPartition, records: list[Record], epoch: int) -> None:
        for record in records:
            async with self._lock_of(tp):
                if epoch != self._assignment_epoch or tp in self._resume_at:
                    return  # revoked meanwhile, or paused by an earlier record of this batch
                attempts = self._attempts_so_far(tp, record.offset)
                outcome, attempts = await self._handling.handle(record, self._producer, attempts)
                if outcome is Outcome.INFRASTRUCTURE_DOWN:
                    self._attempts[tp] = (record.offset, attempts)
                    self._pause(tp, record.offset)
                    return
                self._attempts.pop(tp, None)
                self._backoff.pop(tp, None)
                self._offsets.done(tp, record.offset + 1)
                self._next_offset[tp] = record.offset + 1

    def _lock_of(self, tp: TopicPartition) -> asyncio.Lock:
        return self._in_flight.setdefault(tp, asyncio.Lock())

    def _attempts_so_far(self, tp: TopicPartition, offset: int) -> int:
        tried_offset, attempts = self._attempts.get(tp, (offset, 0))
        return attempts if tried_offset == offset else 0

    def _pause(self, tp: TopicPartition, offset: int) -> None:
        delay = self._backoff.get(tp, self._backoff_initial)
        self._backoff[tp] = min(delay * 2, self._backoff_max)
        self._resume_at[tp] = time.monotonic() + delay
        self._consumer.pause(tp)
        self._consumer.seek(tp, offset)  # the same record comes again after the pause
        self._metrics.paused_partitions.labels(self._group_id).set(len(self._resume_at))
        log.warning("partition %s-%d paused for %.1fs at offset %d", tp.topic, tp.partition, delay, offset)

    def _resume_partitions_whose_pause_ended(self) -> None:
        now = time.monotonic()
        for tp, resume_at in list(self._resume_at.items()):
            if resume_at <= now:
                del self._resume_at[tp]
                if tp in self._consumer.assignment():
                    self._consumer.resume(tp)
        self._metrics.paused_partitions.labels(self._group_id).set(len(self._resume_at))

    def _report_lag(self) -> None:
        for tp, next_offset in self._next_offset.items():
            highwater = self._consumer.highwater(tp)
            if highwater is not None:
                self._metrics.lag.labels(self._group_id, tp.topic, str(tp.partition)).set(
                    max(highwater - next_offset, 0)
                )

    async def commit(self, only: Collection[TopicPartition] | None = None) -> None:
        """Commit handled offsets of partitions still assigned (of `only`, when given)."""
        assigned = self._consumer.assignment()
        offsets = self._offsets.take(lambda tp: tp in assigned and (only is None or tp in only))
        if not offsets:
            return
        try:
            async with asyncio.timeout(COMMIT_TIMEOUT_S):
                await self._consumer.commit(offsets)
        except (CommitFailedError, IllegalStateError) as error:
            log.info(
                "offset commit refused during a rebalance; the next owner resumes from the last commit: %r",
                error,
            )
        except (KafkaError, TimeoutError) as error:
            self._offsets.put_back(offsets)
            log.warning("offset commit failed; trying again later: %r", error)

    def forget(self, partitions: set[TopicPartition] | frozenset[TopicPartition]) -> None:
        self._offsets.forget(partitions)
        for state in (self._resume_at, self._backoff, self._attempts, self._next_offset):
            for tp in partitions:
                state.pop(tp, None)
        self._metrics.paused_partitions.labels(self._group_id).set(len(self._resume_at))

    async def on_revoked(self, revoked: set[TopicPartition]) -> None:
        self._assignment_epoch += 1
        if revoked:
            self._metrics.partitions_revoked.labels(self._group_id).inc(len(revoked))
        # The revoked partitions' in-flight records commit or roll back first (in a fixed order,
        # so two revocations never wait for each other).
        async with contextlib.AsyncExitStack() as held:
            for tp in sorted(revoked, key=lambda tp: (tp.topic, tp.partition)):
                await held.enter_async_context(self._lock_of(tp))
            await self.commit(only=revoked)
            self.forget(revoked)

    async def close(self) -> None:
        """Commit what was handled (bounded; the inbox covers a commit that does not make it)."""
        with contextlib.suppress(Exception):
            await self.commit()


def _by_topic(batches: dict[TopicPartition, list[Record]]) -> dict[str, dict[TopicPartition, list[Record]]]:
    topics: dict[str, dict[TopicPartition, list[Record]]] = {}
    for tp, records in sorted(batches.items(), key=lambda item: (item[0].topic, item[0].partition)):
        topics.setdefault(tp.topic, {})[tp] = records
    return topics


class _HandOverOnRebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, session: PollingSession) -> None:
        self._session = session

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self._session.on_revoked(set(revoked))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        # Fresh state: positions come from the committed offsets, not from before the rebalance.
        self._session.forget(set(assigned))
