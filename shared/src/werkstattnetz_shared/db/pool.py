"""Connection pool creation that waits for the database, so services can start before it is up."""

from __future__ import annotations

import asyncio
import logging

import asyncpg

log = logging.getLogger(__name__)


async def close_pool(pool: asyncpg.Pool, timeout_s: float = 10.0) -> None:
    """Close gracefully, but never hang a shutdown on a connection someone failed to release."""
    try:
        await asyncio.wait_for(pool.close(), timeout=timeout_s)
    except TimeoutError:
        log.warning("database pool did not close within %.0fs; terminating it", timeout_s)
        pool.terminate()


async def connect_pool(dsn: str, *, wait_s: float = 60.0, max_size: int = 10) -> asyncpg.Pool:
    deadline = asyncio.get_running_loop().time() + wait_s
    delay = 0.25
    while True:
        try:
            return await asyncpg.create_pool(dsn, min_size=1, max_size=max_size, command_timeout=30)
        except (OSError, asyncpg.CannotConnectNowError, asyncpg.PostgresConnectionError) as error:
            if asyncio.get_running_loop().time() + delay > deadline:
                raise
            log.info("waiting for the database: %r", error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
