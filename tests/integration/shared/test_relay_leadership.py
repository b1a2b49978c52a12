"""One relay per database, provably: when the backend holding the relay lock dies, that relay
stops publishing at once and a standby takes over; no event is published by two relays."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from tests.support.consumers import placed
from tests.support.kafka_tools import collect_records, create_topics, unique_prefix
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.messaging.ddl import MESSAGING_TABLES_V1
from werkstattnetz_shared.messaging.outbox import Outbox
from werkstattnetz_shared.messaging.producer import idempotent_producer
from werkstattnetz_shared.messaging.relay import RELAY_LOCK_KEY, OutboxRelay

pytestmark = pytest.mark.integration

EVENTS = 300


@contextlib.asynccontextmanager
async def running(relay: OutboxRelay) -> AsyncIterator[None]:
    task = asyncio.create_task(relay.run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _until(condition: object, timeout_s: float, what: str) -> None:
    assert callable(condition)
    async with asyncio.timeout(timeout_s):
        while not await condition():  # noqa: ASYNC110 - polling state owned elsewhere
            await asyncio.sleep(0.05)


async def test_terminating_the_lock_holder_hands_publishing_to_the_standby_without_doubles(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> None:
    dsn = postgres_server.create_database("relay")
    topic = f"{unique_prefix()}placement.events"
    await create_topics(kafka_broker.bootstrap_servers, topic)
    admin = await asyncpg.connect(dsn)
    await admin.execute(MESSAGING_TABLES_V1)
    # Two replicas: each its own pool, producer and relay.
    pools = [await asyncpg.create_pool(dsn, min_size=1, max_size=4) for _ in range(2)]
    first, second = (
        OutboxRelay(
            pool,
            lambda: idempotent_producer(kafka_broker.bootstrap_servers, "relay-test"),
            poll_interval=0.1,
            batch_size=20,
        )
        for pool in pools
    )

    async def write_events() -> list[uuid.UUID]:
        written = []
        writer = await asyncpg.connect(dsn)
        try:
            for _ in range(EVENTS):
                envelope = placed()
                async with writer.transaction():
                    await Outbox(writer, topic).add(envelope)
                written.append(envelope.event_id)
                await asyncio.sleep(0.005)
        finally:
            await writer.close()
        return written

    async def leader_pid() -> int | None:
        pid: int | None = await admin.fetchval(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", RELAY_LOCK_KEY
        )
        return pid

    try:
        async with running(first):
            await _until(lambda: _true_when(first.is_leader), 15, "the first relay leading")
            second_task = asyncio.create_task(second.run())
            writer = asyncio.create_task(write_events())
            await _until(lambda: _true_when(first.published_total >= EVENTS // 3), 30, "publishing under way")
            pid = await leader_pid()
            assert pid is not None
            await admin.execute("SELECT pg_terminate_backend($1)", pid)  # mid-stream
            await _until(lambda: _true_when(second.is_leader), 15, "the standby taking over")
            # Whatever the deposed relay had in flight is acknowledged by now; after this it sends nothing.
            published_by_first_when_deposed = first.published_total
            written = await writer

            async def all_published() -> bool:
                pending: int = await admin.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                return pending == 0

            await _until(all_published, 30, "every row published")
            assert first.published_total == published_by_first_when_deposed, "the deposed relay published on"
            assert second.published_total > 0
            second_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await second_task
    finally:
        for pool in pools:
            pool.terminate()
        await admin.close()

    records = await collect_records(
        kafka_broker.bootstrap_servers, topic, until=lambda records: len(records) >= EVENTS, timeout_s=30
    )
    await asyncio.sleep(1)  # a second copy of anything would have arrived by now
    records = await collect_records(
        kafka_broker.bootstrap_servers, topic, until=lambda seen: len(seen) >= len(records), timeout_s=30
    )
    copies = collections.Counter(dict(record.headers)["ce_id"].decode() for record in records)
    assert set(copies) == {str(event_id) for event_id in written}
    assert [event_id for event_id, count in copies.items() if count > 1] == []
    assert first.published_total + second.published_total == EVENTS


async def _true_when(value: bool) -> bool:
    return value
