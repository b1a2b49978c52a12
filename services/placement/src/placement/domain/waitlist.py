"""The waitlist of one work area, in fair order: urgent cases first, then by the moment of
enrolment as intake's event states it (not when placement happened to hear of it: enrolments of
different people arrive from different partitions in any order), then by participant id so the
order is total."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from placement.domain.errors import WaitlistMustHoldParticipant
from placement.domain.participant import Participant, PlacementStatus
from werkstattnetz_shared.events.vocabulary import WorkArea

_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def fair_order(participant: Participant) -> tuple[bool, dt.datetime, uuid.UUID]:
    """The sort key of the waitlist; PostgreSQL sorts the same way (see the participant repository)."""
    return (not participant.urgent, participant.queue_time or _NEVER, participant.participant_id)


@dataclass
class Waitlist:
    """The people waiting for one work area: `waiting[0]` is next."""

    work_area: WorkArea
    waiting: list[Participant] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.waiting.sort(key=fair_order)

    def __len__(self) -> int:
        return len(self.waiting)

    def join(self, participant: Participant) -> int:
        """Put the participant in their fair place; returns their position (1 = next)."""
        if (
            participant.status is not PlacementStatus.WAITLISTED
            or participant.work_area is not self.work_area
        ):
            raise WaitlistMustHoldParticipant(
                f"participant {participant.participant_id} does not wait for {self.work_area.value}"
            )
        self.waiting.append(participant)
        self.reorder()
        position = self.position_of(participant.participant_id)
        assert position is not None
        return position

    def reorder(self) -> None:
        """After someone's urgency changed."""
        self.waiting.sort(key=fair_order)

    def adopt(self, participant: Participant) -> None:
        """Use this object for the participant (the one the caller locked and will save)."""
        self.waiting = [
            participant if p.participant_id == participant.participant_id else p for p in self.waiting
        ]

    def next_in_line(self) -> Participant | None:
        return self.waiting[0] if self.waiting else None

    def first_of(self, candidates: Iterable[Participant]) -> Participant | None:
        return next(iter(candidates), None)

    def find(self, participant_id: uuid.UUID) -> Participant | None:
        return next((p for p in self.waiting if p.participant_id == participant_id), None)

    def position_of(self, participant_id: uuid.UUID) -> int | None:
        for position, participant in enumerate(self.waiting, start=1):
            if participant.participant_id == participant_id:
                return position
        return None

    def leave(self, participant_id: uuid.UUID) -> Participant:
        """Take the participant off the list; everyone behind moves up one position."""
        position = self.position_of(participant_id)
        if position is None:
            raise WaitlistMustHoldParticipant(
                f"participant {participant_id} is not on the waitlist of {self.work_area.value}"
            )
        return self.waiting.pop(position - 1)
