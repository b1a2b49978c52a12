"""A workshop of the catalogue: its work area, name, seats, lead instructor and opening days.

Several workshops may serve one work area; people wait for a work area and are offered a seat
in any of its workshops. Who sits where, and which seats are free or held by an offer, is in
`area`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import Enum

from werkstattnetz_shared.events.vocabulary import WorkArea

WORKING_WEEK = (1, 2, 3, 4, 5)
"""ISO weekdays, 1 = Monday … 7 = Sunday."""


class Keep(Enum):
    """A field a change leaves as it is (None would mean: clear it)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass
class Workshop:
    workshop_id: uuid.UUID
    work_area: WorkArea
    name: str
    seats: int
    lead_instructor: str | None = None
    """The lead's staff token subject; workshop leads keep the attendance of what they lead."""
    opening_days: tuple[int, ...] = WORKING_WEEK

    def change(self, change: WorkshopChange) -> None:
        """Apply everything but the seats, which only the area may change (see `Area.change_seats`)."""
        if change.name is not None:
            self.name = change.name
        if change.lead_instructor is not KEEP:
            self.lead_instructor = change.lead_instructor
        if change.opening_days is not None:
            self.opening_days = tuple(sorted(set(change.opening_days)))


@dataclass(frozen=True)
class WorkshopChange:
    """What an admin changes; None (and KEEP) leave a field as it is."""

    name: str | None = None
    seats: int | None = None
    lead_instructor: str | Keep | None = KEEP
    opening_days: tuple[int, ...] | None = None
