"""One stay in the programme: its enrolment facts, what placement said about it, and its exit.

A participant who leaves and is referred again keeps the participant id; each enrolment intake
announces with a new `enrolment_id` is a new stay. Only coarse facts are kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum

from outcomes.domain.destinations import integrated_in_jobcenter_view, integrated_in_programme_view
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    ExitReason,
    Funder,
    LegalBasis,
    NextStep,
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
class ExitDetails:
    """Why the stay ended and, for an integration, the kind of next step (see `exit_details`)."""

    reason: ExitReason | None = None
    next_step: NextStep | None = None


@dataclass(frozen=True)
class Exit:
    """How the participant left one stay. `integrated` (both views) is decided once, when the exit
    is recorded, so a later change of the classification never silently rewrites what was reported
    and published. `funders` are the stay's funders then: a co-funded exit counts for each of them.
    `recorded_at` is the moment outcomes recorded it: placement news from before it still tells
    which area the person left from."""

    destination: Destination
    exit_date: dt.date
    integrated: bool
    work_area: WorkArea | None
    funder: Funder
    funders: tuple[Funder, ...] = ()
    stay: int = 1
    details: ExitDetails = ExitDetails()
    jobcenter_integrated: bool | None = None
    """None only for exits read back without it; `counts_for_jobcenter` falls back to the mapping."""
    recorded_at: dt.datetime | None = None

    @classmethod
    def into(
        cls,
        destination: Destination,
        exit_date: dt.date,
        work_area: WorkArea | None,
        funder: Funder,
        funders: tuple[Funder, ...] = (),
        stay: int = 1,
        details: ExitDetails = ExitDetails(),
        recorded_at: dt.datetime | None = None,
    ) -> Exit:
        return cls(
            destination=destination,
            exit_date=exit_date,
            integrated=integrated_in_programme_view(destination),
            work_area=work_area,
            funder=funder,
            funders=funders or (funder,),
            stay=stay,
            details=details,
            jobcenter_integrated=integrated_in_jobcenter_view(destination),
            recorded_at=recorded_at,
        )

    @classmethod
    def of_stay(
        cls,
        stay: Stay,
        destination: Destination,
        exit_date: dt.date,
        details: ExitDetails = ExitDetails(),
        recorded_at: dt.datetime | None = None,
    ) -> Exit:
        enrolment = stay.enrolment
        return cls.into(
            destination,
            exit_date,
            stay.placement.work_area,
            enrolment.funder,
            enrolment.funders,
            stay.number,
            details,
            recorded_at,
        )

    @property
    def counts_for_jobcenter(self) -> bool:
        if self.jobcenter_integrated is not None:
            return self.jobcenter_integrated
        return integrated_in_jobcenter_view(self.destination)

    def counts_for(self, funder: Funder) -> bool:
        return funder in (self.funders or (self.funder,))

    @property
    def is_co_funded(self) -> bool:
        return len(set(self.funders)) > 1


class NewsKind(StrEnum):
    PLACED = "placed"
    WAITLISTED = "waitlisted"
    PLACEMENT_ENDED = "placement_ended"


@dataclass(frozen=True)
class PlacementNews:
    """One of placement's events about a stay, with the facts that order it.

    `at` is the event's own moment (the envelope's `occurred_at`, placement's clock); `on` the day
    it names (placed on, ended on; none for a waitlisting). None where a caller has no moment:
    such news is taken in the order it comes, as before moments were kept.
    """

    kind: NewsKind
    work_area: WorkArea
    at: dt.datetime | None = None
    on: dt.date | None = None


@dataclass
class PlacementState:
    """What placement said about a stay, as far as outcomes has heard."""

    status: ParticipantStatus = ParticipantStatus.ENROLLED
    work_area: WorkArea | None = None
    """The area of the current placement, or of the last one once it ended; None if never placed."""
    waitlisted_for: WorkArea | None = None
    as_of: dt.datetime | None = None
    """The moment of the latest news taken: older news (a replay, say) is stale and changes nothing."""

    def is_stale(self, news: PlacementNews) -> bool:
        return news.at is not None and self.as_of is not None and news.at < self.as_of

    def hear(self, news: PlacementNews) -> bool:
        """Take the news unless it is older than what was heard; whether it was taken."""
        if self.is_stale(news):
            return False
        if news.kind is NewsKind.PLACED:
            self.placed(news.work_area)
        elif news.kind is NewsKind.WAITLISTED:
            self.waitlisted(news.work_area)
        else:
            self.ended(news.work_area)
        if news.at is not None:
            self.as_of = news.at
        return True

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
        """After its exit a stay is closed: late placement news changes only what it tells of the
        time before the exit (see `hear`)."""
        return self.exit is None

    def hear(self, news: PlacementNews) -> None:
        """An open stay takes any news that is not stale. A closed one takes only news from before
        its exit was recorded about a day up to the exit date (a placement that overtook nobody
        but arrived late): it fills in, or corrects, the area the person left from. News from
        after the exit (placement reacting to it, or moving someone who had already left) does not."""
        exit_ = self.exit
        if exit_ is None:
            self.placement.hear(news)
            return
        if news.kind is NewsKind.WAITLISTED or not _before(news, exit_):
            return
        if self.placement.hear(news) and exit_.work_area != self.placement.work_area:
            self.exit = replace(exit_, work_area=self.placement.work_area)


def _before(news: PlacementNews, exit_: Exit) -> bool:
    if news.at is None or exit_.recorded_at is None:
        return False  # without both moments nothing says it happened before the exit
    return news.at <= exit_.recorded_at and (news.on is None or news.on <= exit_.exit_date)
