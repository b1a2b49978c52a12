"""Readiness check of the service's own database."""

from collections.abc import Awaitable, Callable

import asyncpg


def database_check(pool: asyncpg.Pool) -> Callable[[], Awaitable[None]]:
    async def check() -> None:
        await pool.fetchval("SELECT 1")

    return check
