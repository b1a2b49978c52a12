"""What placement knows about one participant: coarse enrolment facts and where they stand.

Only the pseudonymous id, the preferred work areas and the funder are kept; never personal data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from placement.domain.errors import StatusMustAllowChange
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea


class PlacementStatus(StrEnum):
    PLACED = "placed"
    WAITLISTED = "waitlisted"
    ENDED = "ended"
    LEFT_WAITLIST = "left_waitlist"
    EXITED_BEFORE_ENROLMENT = "exited_before_enrolment"


@dataclass(frozen=True)
class Enrolment:
    """The coarse facts of a `ParticipantEnrolled` that placement needs."""

    participant_id: uuid.UUID
    preferred_work_areas: tuple[WorkArea, ...]
    funder: Funder
    enrolled_on: dt.date


@dataclass
class Participant:
    participant_id: uuid.UUID
    status: PlacementStatus
    preferred_work_areas: tuple[WorkArea, ...] = ()
    funder: Funder | None = None
    enrolled_on: dt.date | None = None
    work_area: WorkArea | None = None
    placed_on: dt.date | None = None
    from_waitlist: bool = False
    waiting_since: dt.datetime | None = None
    ended_on: dt.date | None = None
    exited_on: dt.date | None = None

    @classmethod
    def placed_on_enrolment(cls, enrolment: Enrolment, work_area: WorkArea) -> Participant:
        return cls(
            participant_id=enrolment.participant_id,
            status=PlacementStatus.PLACED,
            preferred_work_areas=enrolment.preferred_work_areas,
            funder=enrolment.funder,
            enrolled_on=enrolment.enrolled_on,
            work_area=work_area,
            placed_on=enrolment.enrolled_on,
        )

    @classmethod
    def waiting_after_enrolment(cls, enrolment: Enrolment, since: dt.datetime) -> Participant:
        """Waits for the first preferred area: that is where the person most wants to work."""
        return cls(
            participant_id=enrolment.participant_id,
            status=PlacementStatus.WAITLISTED,
            preferred_work_areas=enrolment.preferred_work_areas,
            funder=enrolment.funder,
            enrolled_on=enrolment.enrolled_on,
            work_area=enrolment.preferred_work_areas[0],
            waiting_since=since,
        )

    @classmethod
    def exited_before_enrolment(cls, participant_id: uuid.UUID, exit_date: dt.date) -> Participant:
        """The exit overtook the enrolment (different topics); remembered so no seat is taken later."""
        return cls(
            participant_id=participant_id,
            status=PlacementStatus.EXITED_BEFORE_ENROLMENT,
            exited_on=exit_date,
        )

    @property
    def is_enrolled(self) -> bool:
        return self.enrolled_on is not None

    def note_late_enrolment(self, enrolment: Enrolment) -> None:
        """Keep the coarse enrolment facts of someone who already left; they get no seat."""
        self._require(PlacementStatus.EXITED_BEFORE_ENROLMENT, "note a late enrolment")
        self.preferred_work_areas = enrolment.preferred_work_areas
        self.funder = enrolment.funder
        self.enrolled_on = enrolment.enrolled_on

    def place_from_waitlist(self, on: dt.date) -> None:
        self._require(PlacementStatus.WAITLISTED, "place from the waitlist")
        self.status = PlacementStatus.PLACED
        self.placed_on = on
        self.from_waitlist = True

    def end_placement(self, on: dt.date) -> None:
        self._require(PlacementStatus.PLACED, "end the placement")
        self.status = PlacementStatus.ENDED
        self.ended_on = on
        self.exited_on = on

    def leave_waitlist(self, on: dt.date) -> None:
        self._require(PlacementStatus.WAITLISTED, "leave the waitlist")
        self.status = PlacementStatus.LEFT_WAITLIST
        self.exited_on = on

    def _require(self, status: PlacementStatus, change: str) -> None:
        if self.status is not status:
            raise StatusMustAllowChange(
                f"cannot {change} of participant {self.participant_id}: status is {self.status.value}, "
                f"needs {status.value}"
            )
