"""How placement is configured to decide: which areas place on enrolment, how long offers run."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from werkstattnetz_shared.events.vocabulary import WorkArea

DEFAULT_OFFER_VALIDITY = dt.timedelta(hours=72)


@dataclass(frozen=True)
class PlacementPolicy:
    offer_valid_for: dt.timedelta = DEFAULT_OFFER_VALIDITY
    manual_areas: frozenset[WorkArea] = frozenset()
    """Areas where an enrolment never takes a free seat by itself: the person joins the waitlist,
    and a free seat is offered to whoever is next (or a caseworker places someone by hand)."""

    def places_on_enrolment(self, area: WorkArea) -> bool:
        return area not in self.manual_areas
