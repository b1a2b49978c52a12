"""The unit of work never leaks a connection, even when opening the transaction fails."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from werkstattnetz_devstack.testing import PostgresForTests
from werkstattnetz_shared.db.pool import close_pool
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork

pytestmark = pytest.mark.integration


class UnitOfWorkThatFailsToOpen(PostgresUnitOfWork):
    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        raise RuntimeError("a repository could not be built")


async def test_a_failure_while_opening_gives_the_connection_back(postgres_server: PostgresForTests) -> None:
    pool = await asyncpg.create_pool(postgres_server.create_database("uow"), min_size=1, max_size=1)
    try:
        with pytest.raises(RuntimeError, match="repository"):
            async with UnitOfWorkThatFailsToOpen(pool, outbox_topic="t", consumer_name="c"):
                pass  # never reached
        # With max_size=1, a leaked connection would make this wait forever.
        async with asyncio.timeout(5):
            assert await pool.fetchval("SELECT 1") == 1
    finally:
        async with asyncio.timeout(10):
            await pool.close()


async def test_closing_a_pool_with_a_leaked_connection_does_not_hang(
    postgres_server: PostgresForTests,
) -> None:
    pool = await asyncpg.create_pool(postgres_server.create_database("uow"), min_size=1, max_size=2)
    leaked = await pool.acquire()
    assert leaked is not None
    async with asyncio.timeout(5):
        await close_pool(pool, timeout_s=0.5)
    assert pool.is_closing()
