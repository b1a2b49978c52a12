"""The unit of work: one PostgreSQL transaction for state, outbox and inbox together.

Services subclass it and build their repositories on `self.connection` in `_open_repositories`.
Leaving the block without `commit()` rolls everything back, so a failed command leaves nothing
half-written.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Self

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from asyncpg.transaction import Transaction

from werkstattnetz_shared.db.idempotency import IdempotentAnswers
from werkstattnetz_shared.faults import is_infrastructure_failure
from werkstattnetz_shared.messaging.inbox import Inbox
from werkstattnetz_shared.messaging.outbox import Outbox

log = logging.getLogger(__name__)


class PostgresUnitOfWork:
    def __init__(self, pool: asyncpg.Pool, *, outbox_topic: str, consumer_name: str) -> None:
        self._pool = pool
        self._outbox_topic = outbox_topic
        self._consumer_name = consumer_name
        self._connection: PoolConnectionProxy | None = None
        self._transaction: Transaction | None = None

    @property
    def connection(self) -> asyncpg.Connection:
        if self._connection is None:
            raise RuntimeError("unit of work used outside its `async with` block")
        return self._connection  # type: ignore[return-value]

    async def __aenter__(self) -> Self:
        await self._begin()
        try:
            self.outbox = Outbox(self.connection, self._outbox_topic)
            self.inbox = Inbox(self.connection, self._consumer_name)
            self.idempotency = IdempotentAnswers(self.connection)
            self._open_repositories(self.connection)
        except BaseException:
            # `async with` does not call __aexit__ when __aenter__ fails (a task cancelled at
            # shutdown, a database error): give the connection back here, or the pool never closes.
            connection, self._connection, self._transaction = self._connection, None, None
            if connection is not None:
                await self._give_back(connection)
            raise
        return self

    async def _begin(self) -> None:
        """Acquire a connection and start the transaction, trying a second connection once.

        After the database restarted (or terminated its sessions), the pool still holds
        connections whose server side is gone; the first use of each fails. Nothing has happened
        yet at this point, so trying a fresh connection is safe and spares a request a 503.
        """
        for attempt in (1, 2):
            self._connection = await self._pool.acquire()
            try:
                self._transaction = self._connection.transaction()
                await self._transaction.start()
                return
            except Exception as error:
                connection, self._connection, self._transaction = self._connection, None, None
                await self._give_back(connection)
                if attempt == 2 or not is_infrastructure_failure(error):
                    raise
                log.info("a pooled connection was dead; trying another: %r", error)
            except BaseException:
                connection, self._connection, self._transaction = self._connection, None, None
                await self._give_back(connection)
                raise

    def _open_repositories(self, connection: asyncpg.Connection) -> None:
        """Hook for subclasses: bind repositories to this transaction's connection."""

    async def commit(self) -> None:
        if self._transaction is None:
            raise RuntimeError("nothing to commit")
        await self._transaction.commit()
        self._transaction = None

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._transaction is not None:
                await self._transaction.rollback()
        except Exception:
            # The connection died with the transaction; PostgreSQL rolled it back by itself.
            # Raising here would hide the error that brought us here (or fail a read that
            # already succeeded).
            log.warning("rollback failed; the connection is gone", exc_info=True)
        finally:
            self._transaction = None
            connection, self._connection = self._connection, None
            if connection is not None:
                await self._give_back(connection)

    async def _give_back(self, connection: PoolConnectionProxy) -> None:
        """Return the connection; a failure here is logged, never raised.

        It happens when the server died after our commit (the pool's reset query fails): the
        work is committed, and reporting it as failed would make a client retry a write that
        succeeded. The pool drops the broken connection and opens a new one when needed.
        """
        try:
            await self._pool.release(connection)
        except Exception:
            log.warning("giving a connection back to the pool failed; it is discarded", exc_info=True)
