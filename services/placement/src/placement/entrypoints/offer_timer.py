"""The offer timer: a background loop that expires seat offers nobody answered in time.

Its state is the database (each open offer's `expires_at`), so it survives restarts and kill -9:
an offer whose time ran out while no placement ran expires at the next start. Each expiry is one
transaction (see `offer_handling.expire_next_due_offer`), so it fires exactly once, also with
several replicas running the timer at the same time. It sleeps until the next deadline, at most
`OFFER_EXPIRY_POLL_S` (an offer made by another replica may run out earlier than any it knows of).
Database outages only pause it; anything else is a bug, left to the service's supervision (the
loop itself is the shared `DeadlineLoop`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from placement.application.offer_handling import (
    ExpireDueOffer,
    TimerOutcome,
    expire_next_due_offer,
    next_deadline,
)
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.policy import PlacementPolicy
from werkstattnetz_shared.deadlines import DeadlineLoop

log = logging.getLogger(__name__)

AREA_BUSY_PAUSE_S = 0.05


class OfferTimer:
    def __init__(
        self,
        unit_of_work: Callable[[], PlacementUnitOfWork],
        policy: PlacementPolicy,
        *,
        poll_interval_s: float = 1.0,
        max_outage_backoff_s: float = 15.0,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._policy = policy
        self._loop = DeadlineLoop(
            "offer timer",
            self.expire_due,
            lambda: next_deadline(unit_of_work),
            poll_interval_s=poll_interval_s,
            max_outage_backoff_s=max_outage_backoff_s,
        )
        self.expired = 0
        """Offers this timer expired since it was built (each is expired by exactly one timer)."""

    async def run(self) -> None:
        """Run until cancelled; infrastructure failures only pause it."""
        await self._loop.run()

    async def expire_due(self) -> int:
        """Expire every offer whose time has run out by now; returns how many."""
        expired = 0
        while True:
            command = ExpireDueOffer(now=dt.datetime.now(dt.UTC), policy=self._policy)
            outcome = await expire_next_due_offer(command, self._unit_of_work)
            if outcome is TimerOutcome.NONE_DUE:
                return expired
            if outcome is TimerOutcome.EXPIRED:
                expired += 1
                self.expired += 1
                log.info("a seat offer expired and its seat was passed on")
            else:
                await asyncio.sleep(AREA_BUSY_PAUSE_S)
