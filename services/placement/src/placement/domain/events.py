"""What placement decided, as domain events; adapters map them onto the published contracts."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from placement.domain.enrolment import Cause
from werkstattnetz_shared.events.vocabulary import (
    OfferDeclineReason,
    PlacementEndReason,
    PlacementKind,
    WorkArea,
)


@dataclass(frozen=True)
class Placed:
    participant_id: uuid.UUID
    work_area: WorkArea
    placed_on: dt.date
    from_waitlist: bool
    cause: Cause | None = None
    """Set when the decision answers another event than the one handled (a held re-entry)."""
    workshop_id: uuid.UUID | None = None
    kind: PlacementKind = PlacementKind.ON_ENROLMENT
    offer_id: uuid.UUID | None = None
    workshop_lead: str | None = None
    """The workshop's lead instructor (token subject) when the seat was taken: they are told."""


@dataclass(frozen=True)
class Waitlisted:
    participant_id: uuid.UUID
    work_area: WorkArea
    position: int
    cause: Cause | None = None


@dataclass(frozen=True)
class PlacementEnded:
    participant_id: uuid.UUID
    work_area: WorkArea
    ended_on: dt.date
    reason: PlacementEndReason = PlacementEndReason.EXITED
    workshop_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Offered:
    participant_id: uuid.UUID
    offer_id: uuid.UUID
    workshop_id: uuid.UUID
    work_area: WorkArea
    offered_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class OfferDeclined:
    participant_id: uuid.UUID
    offer_id: uuid.UUID
    workshop_id: uuid.UUID
    work_area: WorkArea
    reason: OfferDeclineReason
    declined_at: dt.datetime


@dataclass(frozen=True)
class OfferExpired:
    participant_id: uuid.UUID
    offer_id: uuid.UUID
    workshop_id: uuid.UUID
    work_area: WorkArea
    expired_at: dt.datetime


PlacementEvent = Placed | Waitlisted | PlacementEnded | Offered | OfferDeclined | OfferExpired
