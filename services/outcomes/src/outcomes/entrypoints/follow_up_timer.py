"""The follow-up timer: a background loop that announces six-month follow-ups as they fall due.

Its state is the database (each follow-up's `due_at`, written in the exit's transaction), so it
survives restarts and kill -9: a follow-up that fell due while no outcomes ran is announced at the
next start. Each announcement is one transaction (see `follow_up_handling`), so `FollowUpDue` is
published exactly once, also with several replicas running the timer. It sleeps until the next
moment, at most `FOLLOW_UP_POLL_S` (another replica may schedule an earlier one). Database outages
only pause it; anything else is a bug, left to the service's supervision.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from outcomes.application.follow_up_handling import announce_next_due_follow_up, next_deadline
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from werkstattnetz_shared.deadlines import DeadlineLoop

log = logging.getLogger(__name__)

BUSY_PAUSE_S = 0.05
"""The least pause: a follow-up that is due but was skipped is held by another transaction (another
replica's timer, or a recording) that will be done in a moment; no need to spin until then."""


class FollowUpTimer:
    def __init__(
        self,
        unit_of_work: Callable[[], OutcomesUnitOfWork],
        *,
        poll_interval_s: float = 1.0,
        max_outage_backoff_s: float = 15.0,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._loop = DeadlineLoop(
            "follow-up timer",
            self.announce_due,
            lambda: next_deadline(unit_of_work),
            poll_interval_s=poll_interval_s,
            least_pause_s=BUSY_PAUSE_S,
            max_outage_backoff_s=max_outage_backoff_s,
        )
        self.announced = 0
        """Follow-ups this timer announced since it was built (each by exactly one timer)."""

    async def run(self) -> None:
        """Run until cancelled; infrastructure failures only pause it."""
        await self._loop.run()

    async def announce_due(self) -> int:
        """Announce every follow-up that fell due by now; returns how many."""
        announced = 0
        while await announce_next_due_follow_up(dt.datetime.now(dt.UTC), self._unit_of_work):
            announced += 1
            self.announced += 1
            log.info("a six-month follow-up fell due")
        return announced
