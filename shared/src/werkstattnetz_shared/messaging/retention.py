"""The periodic clean-up of messaging tables, so they do not grow for ever.

- Published outbox rows are only history once Kafka acknowledged them: removed after a week
  (configurable). Unpublished rows are never touched.
- Inbox rows are what makes a redelivered event a no-op, so one may only go once its event can
  no longer be delivered: after the topic retention plus a margin (default 100 days against 90).
  With unlimited topic retention the inbox is never purged.

Rows go in small batches, so the job never holds long locks next to the live traffic.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from werkstattnetz_shared.faults import is_infrastructure_failure
from werkstattnetz_shared.messaging.metrics import MessagingMetrics

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Purge:
    """Rows of `table` whose `timestamp_column` is older than `older_than` go (NULL never does)."""

    table: str
    timestamp_column: str
    older_than: dt.timedelta


def messaging_purges(outbox_days: float, inbox_days: float | None) -> list[Purge]:
    purges = [Purge("outbox", "published_at", dt.timedelta(days=outbox_days))]
    if inbox_days is not None:
        purges.append(Purge("inbox", "processed_at", dt.timedelta(days=inbox_days)))
    return purges


class RetentionJob:
    def __init__(
        self,
        pool: asyncpg.Pool,
        purges: Sequence[Purge],
        *,
        interval_s: float = 3600.0,
        batch_size: int = 5000,
        metrics: MessagingMetrics | None = None,
    ) -> None:
        self._pool = pool
        self._purges = list(purges)
        self._interval_s = interval_s
        self._batch_size = batch_size
        self._metrics = metrics or MessagingMetrics()

    async def run(self) -> None:
        while True:
            try:
                await self.purge_once()
            except Exception as error:
                if not is_infrastructure_failure(error):
                    raise
                log.warning("retention job skipped a round: %r", error)
            await asyncio.sleep(self._interval_s)

    async def purge_once(self) -> dict[str, int]:
        """Delete everything that is due now; returns the rows removed per table."""
        removed: dict[str, int] = {}
        for purge in self._purges:
            removed[purge.table] = await self._purge(purge)
            if removed[purge.table]:
                self._metrics.retention_deleted.labels(purge.table).inc(removed[purge.table])
                log.info("retention removed rows", extra={"table": purge.table, "rows": removed[purge.table]})
        return removed

    async def _purge(self, purge: Purge) -> int:
        # Table and column names come from code, never from input.
        statement = f"""
            DELETE FROM {purge.table} WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM {purge.table}
                WHERE {purge.timestamp_column} < now() - $1::interval
                LIMIT $2))
        """
        total = 0
        while True:
            status = await self._pool.execute(statement, purge.older_than, self._batch_size)
            deleted = int(status.split()[-1])
            total += deleted
            if deleted < self._batch_size:
                return total
