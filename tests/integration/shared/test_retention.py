"""The retention job removes old published outbox rows and inbox rows past the topic retention,
and nothing that is still needed."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import pytest

from werkstattnetz_devstack.testing import PostgresForTests
from werkstattnetz_shared.db.idempotency import IDEMPOTENCY_TABLE_V1
from werkstattnetz_shared.messaging.ddl import MESSAGING_TABLES_V1
from werkstattnetz_shared.messaging.metrics import MessagingMetrics
from werkstattnetz_shared.messaging.retention import Purge, RetentionJob, messaging_purges

pytestmark = pytest.mark.integration


async def _outbox_row(connection: asyncpg.Connection, *, age_days: float, published: bool) -> uuid.UUID:
    event_id = uuid.uuid4()
    await connection.execute(
        """
        INSERT INTO outbox (event_id, topic, message_key, event_type, payload, headers,
                            created_at, published_at)
        VALUES ($1, 't', 'k', 'E', '{}', '{}', now() - make_interval(days => $2::int),
                CASE WHEN $3 THEN now() - make_interval(days => $2::int) END)
        """,
        event_id,
        age_days,
        published,
    )
    return event_id


async def _inbox_row(connection: asyncpg.Connection, *, age_days: float) -> uuid.UUID:
    event_id = uuid.uuid4()
    await connection.execute(
        "INSERT INTO inbox (consumer, event_id, event_type, processed_at) "
        "VALUES ('c', $1, 'E', now() - make_interval(days => $2::int))",
        event_id,
        age_days,
    )
    return event_id


async def test_only_what_is_no_longer_needed_goes(postgres_server: PostgresForTests) -> None:
    dsn = postgres_server.create_database("retention")
    connection = await asyncpg.connect(dsn)
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    try:
        await connection.execute(MESSAGING_TABLES_V1)
        old_published = [await _outbox_row(connection, age_days=8, published=True) for _ in range(7)]
        recent_published = await _outbox_row(connection, age_days=1, published=True)
        old_unpublished = await _outbox_row(connection, age_days=30, published=False)
        expired_inbox = [await _inbox_row(connection, age_days=101) for _ in range(3)]
        inbox_within_topic_retention = await _inbox_row(connection, age_days=95)

        metrics = MessagingMetrics()
        job = RetentionJob(pool, messaging_purges(7, 100), batch_size=2, metrics=metrics)
        removed = await job.purge_once()

        assert removed == {"outbox": len(old_published), "inbox": len(expired_inbox)}
        assert set(await connection.fetchval("SELECT array_agg(event_id) FROM outbox")) == {
            recent_published,
            old_unpublished,
        }
        assert await connection.fetchval("SELECT array_agg(event_id) FROM inbox") == [
            inbox_within_topic_retention
        ]
        sample = metrics.registry.get_sample_value(
            "werkstattnetz_retention_deleted_rows_total", {"table": "outbox"}
        )
        assert sample == len(old_published)
        assert await job.purge_once() == {"outbox": 0, "inbox": 0}
    finally:
        await pool.close()
        await connection.close()


async def test_with_unlimited_topic_retention_the_inbox_is_kept(postgres_server: PostgresForTests) -> None:
    dsn = postgres_server.create_database("retention")
    connection = await asyncpg.connect(dsn)
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    try:
        await connection.execute(MESSAGING_TABLES_V1)
        kept = await _inbox_row(connection, age_days=1000)
        removed = await RetentionJob(pool, messaging_purges(7, None)).purge_once()
        assert removed == {"outbox": 0}
        assert await connection.fetchval("SELECT array_agg(event_id) FROM inbox") == [kept]
    finally:
        await pool.close()
        await connection.close()


async def test_idempotency_keys_go_after_their_retention(postgres_server: PostgresForTests) -> None:
    dsn = postgres_server.create_database("retention")
    connection = await asyncpg.connect(dsn)
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    try:
        await connection.execute(IDEMPOTENCY_TABLE_V1)
        for key, age_hours in (("old", 25), ("fresh", 1)):
            await connection.execute(
                "INSERT INTO idempotency_keys (scope, key, fingerprint, status_code, response, created_at) "
                "VALUES ('staff', $1, 'f', 201, '{}', now() - make_interval(hours => $2))",
                key,
                age_hours,
            )
        purge = Purge("idempotency_keys", "created_at", dt.timedelta(hours=24))
        assert await RetentionJob(pool, [purge]).purge_once() == {"idempotency_keys": 1}
        assert await connection.fetchval("SELECT array_agg(key) FROM idempotency_keys") == ["fresh"]
    finally:
        await pool.close()
        await connection.close()
