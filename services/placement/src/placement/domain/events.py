"""What placement decided, as domain events; adapters map them onto the published contracts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from werkstattnetz_shared.events.vocabulary import WorkArea


@dataclass(frozen=True)
class Placed:
    participant_id: uuid.UUID
    work_area: WorkArea
    placed_on: dt.date
    from_waitlist: bool


@dataclass(frozen=True)
class Waitlisted:
    participant_id: uuid.UUID
    work_area: WorkArea
    position: int


@dataclass(frozen=True)
class PlacementEndedOnExit:
    participant_id: uuid.UUID
    work_area: WorkArea
    ended_on: dt.date


PlacementEvent = Placed | Waitlisted | PlacementEndedOnExit
