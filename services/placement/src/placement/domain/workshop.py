"""A workshop's seats and its waitlist.

Occupancy is counted from the placed participants while the workshop row is locked, so a
`Workshop` is a snapshot that is only trustworthy inside that locked transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from placement.domain.errors import SeatMustBeFree, SeatMustBeTaken, WaitlistMustHoldParticipant
from placement.domain.participant import Participant, PlacementStatus
from werkstattnetz_shared.events.vocabulary import WorkArea


@dataclass
class Workshop:
    work_area: WorkArea
    capacity: int
    occupied: int = 0

    @property
    def free_seats(self) -> int:
        # A capacity lowered below the occupancy leaves nobody unseated; it just frees no seat.
        return max(0, self.capacity - self.occupied)

    @property
    def has_free_seat(self) -> bool:
        return self.free_seats > 0

    def take_seat(self) -> None:
        if not self.has_free_seat:
            raise SeatMustBeFree(
                f"workshop {self.work_area.value} is full ({self.occupied} of {self.capacity} seats taken)"
            )
        self.occupied += 1

    def give_back_seat(self) -> None:
        if self.occupied == 0:
            raise SeatMustBeTaken(f"workshop {self.work_area.value} has no taken seat to give back")
        self.occupied -= 1


@dataclass
class Waitlist:
    """The people waiting for one workshop, first come first served: `waiting[0]` is next."""

    work_area: WorkArea
    waiting: list[Participant] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.waiting)

    def join(self, participant: Participant) -> int:
        """Put the participant at the end; returns their position (1 = next to get a seat)."""
        if (
            participant.status is not PlacementStatus.WAITLISTED
            or participant.work_area is not self.work_area
        ):
            raise WaitlistMustHoldParticipant(
                f"participant {participant.participant_id} does not wait for {self.work_area.value}"
            )
        self.waiting.append(participant)
        return len(self.waiting)

    def next_in_line(self) -> Participant | None:
        return self.waiting[0] if self.waiting else None

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
