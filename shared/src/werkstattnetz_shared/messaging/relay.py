"""The outbox relay: publishes committed outbox rows to Kafka, in order, until acknowledged.

One relay per service database is active at a time (a PostgreSQL advisory lock elects it), so
rows go out in id order and each participant's events keep their order on its partition. It is
woken by LISTEN/NOTIFY and polls as a backstop. While Kafka is unreachable rows simply stay
unpublished; API writes never wait for the broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from werkstattnetz_shared.messaging.outbox import OUTBOX_CHANNEL
from werkstattnetz_shared.messaging.shutdown import stop_within

log = logging.getLogger(__name__)

RELAY_LOCK_KEY = 7_172_001  # arbitrary, but the same in every service: each has its own database


class OutboxRelay:
    def __init__(
        self,
        pool: asyncpg.Pool,
        producer_factory: Callable[[], AIOKafkaProducer],
        *,
        batch_size: int = 200,
        poll_interval: float = 1.0,
        max_backoff: float = 15.0,
    ) -> None:
        self._pool = pool
        self._producer_factory = producer_factory
        self._producer: AIOKafkaProducer | None = None
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._max_backoff = max_backoff
        self._wakeup = asyncio.Event()
        self.published_total = 0

    async def run(self) -> None:
        """Run until cancelled; infrastructure failures only pause it."""
        backoff = 0.5
        while True:
            try:
                await self._lead_and_publish()
            except asyncio.CancelledError:
                await self._close_producer()
                raise
            except Exception as error:  # noqa: BLE001 - a relay must outlive any outage
                log.warning("outbox relay paused: %s", error, extra={"retry_in_s": backoff})
                await self._close_producer()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)

    async def _lead_and_publish(self) -> None:
        async with self._pool.acquire() as listener:
            # Session-level lock: held for as long as this connection lives, released if we die.
            # A standby replica polls (rather than blocking past the pool's command timeout) until
            # the active relay's connection goes away.
            while not await listener.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK_KEY):  # noqa: ASYNC110
                await asyncio.sleep(self._poll_interval * 5)
            await listener.add_listener(OUTBOX_CHANNEL, self._on_notify)
            try:
                while True:
                    published = await self.publish_pending()
                    if published < self._batch_size:
                        await self._wait_for_work()
            finally:
                with contextlib.suppress(Exception):
                    await listener.remove_listener(OUTBOX_CHANNEL, self._on_notify)
                    await listener.execute("SELECT pg_advisory_unlock($1)", RELAY_LOCK_KEY)

    def _on_notify(self, *_: Any) -> None:
        self._wakeup.set()

    async def _wait_for_work(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
        # races with the wake-up, and the relay would then outlive its service's shutdown.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._poll_interval):
                await self._wakeup.wait()
        self._wakeup.clear()

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished rows; returns how many were acknowledged."""
        rows = await self._pool.fetch(
            """
            SELECT id, topic, message_key, payload, headers::text AS headers
            FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1
            """,
            self._batch_size,
        )
        if not rows:
            return 0
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
        acknowledged: list[int] = []
        failure: Exception | None = None
        for row, delivery in zip(rows, deliveries, strict=True):
            try:
                await delivery
            except Exception as error:  # noqa: BLE001 - recorded on the row, retried later
                failure = error
                break
            acknowledged.append(row["id"])
        await self._mark_published(acknowledged)
        if failure is not None:
            await self._record_failure(rows[len(acknowledged)]["id"], failure)
            raise failure
        self.published_total += len(acknowledged)
        log.info("published outbox events", extra={"count": len(acknowledged)})
        return len(acknowledged)

    async def _mark_published(self, ids: list[int]) -> None:
        if ids:
            await self._pool.execute(
                "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])", ids
            )

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
