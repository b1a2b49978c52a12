"""Connection pool creation that waits for the database, so services can start before it is up."""

from __future__ import annotations

import asyncio
import logging

import asyncpg

log = logging.getLogger(__name__)


class SessionAwareConnection(asyncpg.Connection):
    """A pooled connection that skips asyncpg's reset query on release unless it was told it holds
    session state.

    The reset (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`) is one more round trip
    per transaction, about a sixth of a consumed event's. Units of work leave no session state:
    their advisory locks are transaction-scoped, cursors end with the transaction, nobody runs a
    session `SET`. The few holders of session state (the relay's leadership lock and LISTEN, the
    dispatchers' LISTEN) call `holds_session_state()` and get the full reset. An open transaction is
    rolled back on release either way (asyncpg does that before asking for the query).
    """

    _session_state = False

    def holds_session_state(self) -> None:
        self._session_state = True

    def get_reset_query(self) -> str:
        if not self._session_state:
            return ""
        self._session_state = False
        query: str = super().get_reset_query()
        return query


def reset_on_release(connection: object) -> None:
    """Mark a pooled connection (or its pool proxy) as holding session state: LISTEN, a session
    advisory lock. Connections of pools not made by `connect_pool` always get the full reset."""
    mark = getattr(connection, "holds_session_state", None)
    if mark is not None:
        mark()


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
            return await asyncpg.create_pool(
                dsn,
                min_size=1,
                max_size=max_size,
                command_timeout=30,
                connection_class=SessionAwareConnection,
            )
        except (OSError, asyncpg.CannotConnectNowError, asyncpg.PostgresConnectionError) as error:
            if asyncio.get_running_loop().time() + delay > deadline:
                raise
            log.info("waiting for the database: %r", error)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
