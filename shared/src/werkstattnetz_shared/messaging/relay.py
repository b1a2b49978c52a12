"""The outbox relay: publishes committed outbox rows to Kafka, in order, until acknowledged.

One relay per service database publishes at a time, so rows go out in id order and each
participant's events keep their order on its partition. Leadership is a session-level advisory
lock held by one dedicated connection, and that same connection does all of the leader's work:

- every batch is read through it, so a leader whose backend is gone (terminated, idle timeout,
  dropped TCP connection) cannot read anything more to publish;
- a termination listener on it notices the loss at once, also while the relay sleeps, and the
  relay stops publishing and goes back to competing for the lock.

A batch already sent when the backend died still has its acknowledged rows marked published,
through another connection. A new leader waits `takeover_grace_s` after taking the lock before it
reads anything, so a deposed leader has that long to mark what it had in flight; only a batch
whose acknowledgements take longer than that (or a relay killed between publishing and marking)
is published again — at-least-once, and the consumers' inbox makes the second copy harmless.
While Kafka is unreachable rows simply stay unpublished; API writes never wait for the broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from asyncpg.pool import PoolConnectionProxy

from werkstattnetz_shared.db.pool import reset_on_release
from werkstattnetz_shared.faults import is_infrastructure_failure
from werkstattnetz_shared.messaging.metrics import MessagingMetrics
from werkstattnetz_shared.messaging.outbox import OUTBOX_CHANNEL
from werkstattnetz_shared.messaging.shutdown import stop_within

log = logging.getLogger(__name__)

# The leader connection comes from the pool; both kinds are the same to us.
Connection = asyncpg.Connection | PoolConnectionProxy

RELAY_LOCK_KEY = 7_172_001  # arbitrary, but the same in every service: each has its own database


class LeadershipLost(RuntimeError):
    """The connection holding the relay lock is gone; another relay may lead now."""


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        producer_factory: Callable[[], AIOKafkaProducer],
        *,
        batch_size: int = 200,
        poll_interval: float = 1.0,
        max_backoff: float = 15.0,
        takeover_grace_s: float = 1.0,
        metrics: MessagingMetrics | None = None,
    ) -> None:
        self._pool = pool
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._max_backoff = max_backoff
        self._takeover_grace_s = takeover_grace_s
        self._metrics = metrics or MessagingMetrics()
        self._wakeup = asyncio.Event()
        self._lost = asyncio.Event()
        self.is_leader = False
        self.published_total = 0

    async def run(self) -> None:
        """Run until cancelled; outages and a lost lock only pause it."""
        backoff = 0.5
        while True:
            try:
                await self._lead_and_publish()
            except asyncio.CancelledError:
                await self._close_producer()
                raise
            except Exception as error:
                if not (isinstance(error, LeadershipLost) or is_infrastructure_failure(error)):
                    await self._close_producer()
                    raise  # a bug: the supervisor logs it and restarts the relay
                log.warning("outbox relay paused: %r", error, extra={"retry_in_s": backoff})
                await self._close_producer()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)

    async def _lead_and_publish(self) -> None:
        async with self._pool.acquire() as leader:
            # A standby polls (rather than blocking past the pool's command timeout) until the
            # active relay's connection goes away and the lock with it.
            reset_on_release(leader)  # the leadership lock and LISTEN
            while not await leader.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK_KEY):  # noqa: ASYNC110
                await asyncio.sleep(self._poll_interval)
            self._lost.clear()
            leader.add_termination_listener(self._on_leader_connection_lost)
            try:
                await leader.add_listener(OUTBOX_CHANNEL, self._on_notify)
                await asyncio.sleep(self._takeover_grace_s)  # see the module docstring
                self.is_leader = True
                log.info("outbox relay leads")
                while True:
                    published = await self.publish_pending(leader)
                    if published < self._batch_size:
                        await self._wait_for_work()
            finally:
                self.is_leader = False
                with contextlib.suppress(Exception):  # a dead connection refuses these too
                    leader.remove_termination_listener(self._on_leader_connection_lost)
                    await leader.remove_listener(OUTBOX_CHANNEL, self._on_notify)
                    await leader.execute("SELECT pg_advisory_unlock($1)", RELAY_LOCK_KEY)

    def _on_notify(self, *_: Any) -> None:
        self._wakeup.set()

    def _on_leader_connection_lost(self, *_: Any) -> None:
        log.warning("outbox relay lost the connection holding its lock; it stops publishing")
        self._lost.set()
        self._wakeup.set()

    async def _wait_for_work(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
        # races with the wake-up, and the relay would then outlive its service's shutdown.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._poll_interval):
                await self._wakeup.wait()
        self._wakeup.clear()

    async def publish_pending(self, leader: Connection) -> int:
        """Publish one batch of unpublished rows read through `leader`; returns how many were
        acknowledged. Raises `LeadershipLost` once the leader connection is gone."""
        if self._lost.is_set() or leader.is_closed():
            raise LeadershipLost("the relay lock's connection is gone")
        rows = await leader.fetch(
            """
            SELECT id, topic, message_key, payload, headers::text AS headers
            FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1
            """,
            self._batch_size,
        )
        if not rows:
            return 0
        acknowledged, failure = await self._send_in_order(rows)
        await self._mark_published(leader, acknowledged)
        self.published_total += len(acknowledged)
        if failure is not None:
            self._metrics.relay_failures.inc()
            await self._record_failure(rows[len(acknowledged)]["id"], failure)
            raise failure
        # DEBUG: a line per batch is noise at a few hundred events a second; the metrics count them.
        log.debug("published outbox events", extra={"count": len(acknowledged)})
        if self._lost.is_set():
            raise LeadershipLost("the relay lock's connection was lost while publishing")
        return len(acknowledged)

    async def _send_in_order(
        self, rows: Sequence[asyncpg.Record]
    ) -> tuple[list[asyncpg.Record], Exception | None]:
        """Acknowledged rows up to the first failure, and that failure (None when all went out)."""
        producer = await self._started_producer()
        # send() only queues; awaiting the delivery futures in id order lets the producer batch
        # while we still stop at the first failure, so nothing after it is marked sent.
        deliveries = [
            await producer.send(
                row["topic"],
                value=row["payload"].encode(),
                key=row["message_key"].encode(),
                headers=_header_list(row["headers"]),
            )
            for row in rows
        ]
        acknowledged: list[asyncpg.Record] = []
        for row, delivery in zip(rows, deliveries, strict=True):
            try:
                await delivery
            except Exception as error:  # noqa: BLE001 - recorded on the row, retried later
                return acknowledged, error
            acknowledged.append(row)
        return acknowledged, None

    async def _mark_published(self, leader: Connection, rows: list[asyncpg.Record]) -> None:
        if not rows:
            return
        ids = [row["id"] for row in rows]
        statement = "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])"
        try:
            await leader.execute(statement, ids)
        except Exception as error:
            if not is_infrastructure_failure(error):
                raise
            # Most likely the leader connection just died (its termination may not even have been
            # reported yet). Acknowledged is acknowledged: record it through another connection,
            # so a new leader does not send these rows again.
            await self._pool.execute(statement, ids)
        for row in rows:
            self._metrics.relay_published.labels(row["topic"]).inc()

    async def _record_failure(self, row_id: int, error: Exception) -> None:
        await self._pool.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
            row_id,
            repr(error)[:2000],
        )

    async def _started_producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = self._producer_factory()
            try:
                await producer.start()
            except Exception:
                await stop_within(producer)
                raise
            self._producer = producer
        return self._producer

    async def _close_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await stop_within(producer)


def _header_list(headers_json: str) -> list[tuple[str, bytes]]:
    return [(name, str(value).encode()) for name, value in json.loads(headers_json).items()]
