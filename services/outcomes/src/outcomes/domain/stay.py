"""One stay in the programme: its enrolment facts, what placement said about it, and its exit.

A participant who leaves and is referred again keeps the participant id; each enrolment intake
announces with a new `enrolment_id` is a new stay. Only coarse facts are kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from outcomes.domain.destinations import integrated_in_programme_view
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    Funder,
    LegalBasis,
    ReferralSource,
    WorkArea,
)


class ParticipantStatus(StrEnum):
    ENROLLED = "enrolled"
    PLACED = "placed"
    WAITLISTED = "waitlisted"
    PLACEMENT_ENDED = "placement_ended"
    EXITED = "exited"


@dataclass(frozen=True)
class FundingShare:
    """One funder's part of a place (no amounts)."""

    funder: Funder
    legal_basis: LegalBasis
    share_percent: int


@dataclass(frozen=True)
class Enrolment:
    """The coarse enrolment facts intake shares; nothing that identifies the person.

    `funder` is the main funder; `funding` lists every share where intake named them (older
    enrolments name only the funder).
    """

    enrolled_on: dt.date
    funder: Funder
    age_band: AgeBand
    referral_source: ReferralSource
    enrolment_id: uuid.UUID | None = None
    re_entry: bool = False
    funding: tuple[FundingShare, ...] = ()

    @property
    def funders(self) -> tuple[Funder, ...]:
        """Every funder of the place, the main one first."""
        return tuple(dict.fromkeys((self.funder, *(share.funder for share in self.funding))))


@dataclass(frozen=True)
class Exit:
    """How the participant left one stay. `integrated` is decided once, when the exit is recorded,
    so a later change of the classification never silently rewrites what was reported and
    published. `funders` are the stay's funders then: a co-funded exit counts for each of them."""

    destination: Destination
    exit_date: dt.date
    integrated: bool
    work_area: WorkArea | None
    funder: Funder
    funders: tuple[Funder, ...] = ()
    stay: int = 1

    @classmethod
    def into(
        cls,
        destination: Destination,
        exit_date: dt.date,
        work_area: WorkArea | None,
        funder: Funder,
        funders: tuple[Funder, ...] = (),
        stay: int = 1,
    ) -> Exit:
        return cls(
            destination=destination,
            exit_date=exit_date,
            integrated=integrated_in_programme_view(destination),
            work_area=work_area,
            funder=funder,
            funders=funders or (funder,),
            stay=stay,
        )

    @classmethod
    def of_stay(cls, stay: Stay, destination: Destination, exit_date: dt.date) -> Exit:
        enrolment = stay.enrolment
        return cls.into(
            destination, exit_date, stay.placement.work_area, enrolment.funder, enrolment.funders, stay.number
        )

    def counts_for(self, funder: Funder) -> bool:
        return funder in (self.funders or (self.funder,))

    @property
    def is_co_funded(self) -> bool:
        return len(set(self.funders)) > 1


@dataclass
class PlacementState:
    """What placement said about a stay, as far as outcomes has heard."""

    status: ParticipantStatus = ParticipantStatus.ENROLLED
    work_area: WorkArea | None = None
    """The area of the current placement, or of the last one once it ended; None if never placed."""
    waitlisted_for: WorkArea | None = None

    def placed(self, work_area: WorkArea) -> None:
        self.status = ParticipantStatus.PLACED
        self.work_area = work_area
        self.waitlisted_for = None

    def waitlisted(self, work_area: WorkArea) -> None:
        self.status = ParticipantStatus.WAITLISTED
        self.waitlisted_for = work_area

    def ended(self, work_area: WorkArea) -> None:
        self.status = ParticipantStatus.PLACEMENT_ENDED
        self.work_area = work_area


@dataclass
class Stay:
    number: int
    enrolment: Enrolment
    announced_by: uuid.UUID | None = None
    """The event id of its `ParticipantEnrolled`: placement's decisions on it name it as their cause."""
    placement: PlacementState = field(default_factory=PlacementState)
    exit: Exit | None = None

    @property
    def status(self) -> ParticipantStatus:
        return ParticipantStatus.EXITED if self.exit else self.placement.status

    @property
    def is_open(self) -> bool:
        """After its exit a stay is closed: late placement news no longer changes it."""
        return self.exit is None
