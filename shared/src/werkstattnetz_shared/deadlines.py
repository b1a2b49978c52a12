"""A loop that acts on deadlines kept in the database: the plumbing of durable timers.

The deadlines are rows (an offer's `expires_at`, a follow-up's `due_at`), so a timer built on this
loop survives restarts and kill -9: what fell due while nothing ran is acted on at the next start.
The service supplies two functions: `act_on_due`, which handles everything due by now (each item in
its own transaction, so it happens exactly once also with several replicas), and `next_deadline`.
The loop sleeps until the next deadline, at most `poll_interval_s` (another replica may have written
an earlier one). Database and broker outages only pause it; anything else is a bug and is raised to
the service's supervisor, which logs it and restarts the loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from werkstattnetz_shared.faults import is_infrastructure_failure

log = logging.getLogger(__name__)

FIRST_OUTAGE_PAUSE_S = 0.5


class DeadlineLoop:
    def __init__(
        self,
        name: str,
        act_on_due: Callable[[], Awaitable[int]],
        next_deadline: Callable[[], Awaitable[dt.datetime | None]],
        *,
        poll_interval_s: float = 1.0,
        least_pause_s: float = 0.0,
        max_outage_backoff_s: float = 15.0,
    ) -> None:
        self._name = name
        self._act_on_due = act_on_due
        self._next_deadline = next_deadline
        self._poll_interval_s = poll_interval_s
        self._least_pause_s = least_pause_s
        self._max_outage_backoff_s = max_outage_backoff_s

    async def run(self) -> None:
        """Run until cancelled."""
        backoff = FIRST_OUTAGE_PAUSE_S
        while True:
            try:
                await self._act_on_due()
                await asyncio.sleep(await self._pause_until_next_deadline())
                backoff = FIRST_OUTAGE_PAUSE_S
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if not is_infrastructure_failure(error):
                    raise
                log.warning("%s paused: %r", self._name, error, extra={"retry_in_s": backoff})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_outage_backoff_s)

    async def _pause_until_next_deadline(self) -> float:
        deadline = await self._next_deadline()
        if deadline is None:
            return self._poll_interval_s
        until_then = (deadline - dt.datetime.now(dt.UTC)).total_seconds()
        return min(self._poll_interval_s, max(self._least_pause_s, until_then))
