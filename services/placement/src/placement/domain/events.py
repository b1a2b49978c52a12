"""What placement decided, as domain events; adapters map them onto the published contracts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from placement.domain.enrolment import Cause
from werkstattnetz_shared.events.vocabulary import WorkArea


@dataclass(frozen=True)
class Placed:
    participant_id: uuid.UUID
    work_area: WorkArea
    placed_on: dt.date
    from_waitlist: bool
    cause: Cause | None = None
    """Set when the decision answers another event than the one handled (a held re-entry)."""


@dataclass(frozen=True)
class Waitlisted:
    participant_id: uuid.UUID
    work_area: WorkArea
    position: int
    cause: Cause | None = None


@dataclass(frozen=True)
class PlacementEndedOnExit:
    participant_id: uuid.UUID
    work_area: WorkArea
    ended_on: dt.date


PlacementEvent = Placed | Waitlisted | PlacementEndedOnExit
