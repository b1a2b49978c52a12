"""What outcomes knows of one participant: enrolment facts, placement state, and the exit.

Facts arrive from two topics with no order between them, so a placement may be heard of before
the enrolment; the record keeps it and becomes "known" once the enrolment arrives. After the exit
the record is closed: late placement news (e.g. the placement ending because of the exit) no
longer changes it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from outcomes.domain.destinations import integrated_in_programme_view
from outcomes.domain.errors import (
    ExitDateNotBeforeEnrolment,
    ExitDateNotInFuture,
    ExitOnlyOnce,
    ParticipantMustBeKnown,
)
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea


class ParticipantStatus(StrEnum):
    ENROLLED = "enrolled"
    PLACED = "placed"
    WAITLISTED = "waitlisted"
    PLACEMENT_ENDED = "placement_ended"
    EXITED = "exited"


@dataclass(frozen=True)
class Enrolment:
    """The coarse enrolment facts intake shares; nothing that identifies the person."""

    enrolled_on: dt.date
    funder: Funder
    age_band: AgeBand
    referral_source: ReferralSource


@dataclass(frozen=True)
class Exit:
    """How the participant left. `integrated` is decided once, when the exit is recorded, so a
    later change of the classification never silently rewrites what was reported and published."""

    destination: Destination
    exit_date: dt.date
    integrated: bool
    work_area: WorkArea | None
    funder: Funder

    @classmethod
    def into(
        cls, destination: Destination, exit_date: dt.date, work_area: WorkArea | None, funder: Funder
    ) -> Exit:
        return cls(
            destination=destination,
            exit_date=exit_date,
            integrated=integrated_in_programme_view(destination),
            work_area=work_area,
            funder=funder,
        )


@dataclass
class ParticipantRecord:
    participant_id: uuid.UUID
    status: ParticipantStatus = ParticipantStatus.ENROLLED
    enrolment: Enrolment | None = None
    work_area: WorkArea | None = None
    """The area of the current placement, or of the last one once it ended; None if never placed."""
    waitlisted_for: WorkArea | None = None
    exit: Exit | None = None

    @property
    def is_known(self) -> bool:
        """Known = enrolled as far as outcomes has heard; only known participants can exit."""
        return self.enrolment is not None

    def record_enrolment(self, enrolment: Enrolment) -> None:
        # The first enrolment wins: exits were judged against it (exit date not before enrolment).
        if self.enrolment is None:
            self.enrolment = enrolment

    def record_placement(self, work_area: WorkArea) -> None:
        if self.exit is not None:
            return
        self.status = ParticipantStatus.PLACED
        self.work_area = work_area
        self.waitlisted_for = None

    def record_waitlisting(self, work_area: WorkArea) -> None:
        if self.exit is not None:
            return
        self.status = ParticipantStatus.WAITLISTED
        self.waitlisted_for = work_area

    def record_placement_end(self, work_area: WorkArea) -> None:
        if self.exit is not None:
            return
        self.status = ParticipantStatus.PLACEMENT_ENDED
        self.work_area = work_area

    def exit_to(self, destination: Destination, exit_date: dt.date, today: dt.date) -> Exit:
        """Record the exit; the rules are checked in the order a caseworker would meet them."""
        if self.enrolment is None:
            raise ParticipantMustBeKnown(
                f"outcomes knows of no enrolment of participant {self.participant_id}"
            )
        if self.exit is not None:
            raise ExitOnlyOnce(
                f"participant {self.participant_id} already exited on {self.exit.exit_date.isoformat()}"
            )
        if exit_date > today:
            raise ExitDateNotInFuture(
                f"the exit date {exit_date.isoformat()} lies after today ({today.isoformat()})"
            )
        if exit_date < self.enrolment.enrolled_on:
            raise ExitDateNotBeforeEnrolment(
                f"the exit date {exit_date.isoformat()} lies before the enrolment on "
                f"{self.enrolment.enrolled_on.isoformat()}"
            )
        self.exit = Exit.into(destination, exit_date, self.work_area, self.enrolment.funder)
        self.status = ParticipantStatus.EXITED
        self.waitlisted_for = None
        return self.exit
