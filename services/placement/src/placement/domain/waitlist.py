"""The waitlist of one work area, in fair order: urgent cases first, then by the moment of
enrolment as intake's event states it (not when placement happened to hear of it: enrolments of
different people arrive from different partitions in any order), then by participant id so the
order is total."""

from __future__ import annotations

import bisect
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from placement.domain.errors import WaitlistMustHoldParticipant
from placement.domain.participant import Participant, PlacementStatus
from werkstattnetz_shared.events.vocabulary import WorkArea

_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Place:
    """Someone's place in a waitlist: who, and what their place depends on. A waitlist holds
    places, not whole participants: a decision reads the list of its area every time, and only
    the people it changes need their full record (which the caller loads and saves)."""

    participant_id: uuid.UUID
    urgent: bool = False
    queue_time: dt.datetime | None = None

    @classmethod
    def of(cls, participant: Participant) -> Place:
        return cls(participant.participant_id, participant.urgent, participant.queue_time)


def fair_order(place: Place) -> tuple[bool, dt.datetime, uuid.UUID]:
    """The sort key of the waitlist; PostgreSQL sorts the same way (see the participant repository)."""
    return (not place.urgent, place.queue_time or _NEVER, place.participant_id)


@dataclass
class Waitlist:
    """The people waiting for one work area: `waiting[0]` is next."""

    work_area: WorkArea
    waiting: list[Place] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.waiting.sort(key=fair_order)

    @classmethod
    def of(cls, work_area: WorkArea, participants: Iterable[Participant]) -> Waitlist:
        return cls(work_area, [Place.of(participant) for participant in participants])

    def __len__(self) -> int:
        return len(self.waiting)

    @property
    def participant_ids(self) -> list[uuid.UUID]:
        """Everyone waiting, next first."""
        return [place.participant_id for place in self.waiting]

    def join(self, participant: Participant) -> int:
        """Put the participant in their fair place; returns their position (1 = next)."""
        if (
            participant.status is not PlacementStatus.WAITLISTED
            or participant.work_area is not self.work_area
        ):
            raise WaitlistMustHoldParticipant(
                f"participant {participant.participant_id} does not wait for {self.work_area.value}"
            )
        place = Place.of(participant)
        bisect.insort(self.waiting, place, key=fair_order)
        return self.waiting.index(place) + 1

    def requeue(self, participant: Participant) -> None:
        """After the participant's urgency changed: their place follows it."""
        self.leave(participant.participant_id)
        self.join(participant)

    def next_in_line(self) -> Place | None:
        return self.waiting[0] if self.waiting else None

    def holds(self, participant_id: uuid.UUID) -> bool:
        return self.position_of(participant_id) is not None

    def position_of(self, participant_id: uuid.UUID) -> int | None:
        for position, place in enumerate(self.waiting, start=1):
            if place.participant_id == participant_id:
                return position
        return None

    def leave(self, participant_id: uuid.UUID) -> Place:
        """Take the participant off the list; everyone behind moves up one position."""
        position = self.position_of(participant_id)
        if position is None:
            raise WaitlistMustHoldParticipant(
                f"participant {participant_id} is not on the waitlist of {self.work_area.value}"
            )
        return self.waiting.pop(position - 1)
