"""Decisions on the workshop catalogue: a new workshop, or a workshop's seats and details changed.

New seats are not handed out silently: like any freed seat they are offered to those waiting.
Seats shrink only down to the occupancy (placed plus held by open offers).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from placement.domain.area import Area
from placement.domain.decision import Decision
from placement.domain.decisions import offer_free_seats
from placement.domain.policy import PlacementPolicy
from placement.domain.workshop import WorkshopChange


def when_workshop_changed(
    workshop_id: uuid.UUID, change: WorkshopChange, area: Area, policy: PlacementPolicy, now: dt.datetime
) -> Decision:
    seats = area.seats_of(workshop_id)
    if change.seats is not None:
        area.change_seats(workshop_id, change.seats, now)
    seats.workshop.change(change)
    decision = Decision()
    offer_free_seats([area], policy, now, decision)
    return decision


def when_seats_may_be_free_offer_them(
    areas: Iterable[Area], policy: PlacementPolicy, now: dt.datetime
) -> Decision:
    """After a workshop was opened, and at every start (an upgrade may leave seats free while
    people wait): every free seat nobody holds is offered to the first suitable person waiting."""
    decision = Decision()
    offer_free_seats(areas, policy, now, decision)
    return decision
