"""What outcomes knows of one participant: their stays, and which stay placement's news is about.

Facts arrive from two topics with no order between them: placement may tell of a stay before
intake's enrolment of it arrives, and a stale event of an earlier stay may come after the next
stay's enrolment. Which stay a piece of news belongs to is decided by the events' own facts:

- Enrolments: a new `enrolment_id` is a new stay (numbered in the order intake announced them;
  intake enrols someone again only after outcomes recorded the exit of the previous stay). The
  same id again, or one without id for someone known, is a redelivery.
- Placement's decisions on an enrolment (waitlisted, or placed not from the waitlist) name that
  enrolment's event as their causation id: they belong to that stay. One naming an enrolment not
  heard yet belongs to a stay whose enrolment is still on its way and is kept until it arrives.
  (Older events without a known cause go to the open stay, or wait for the next one.)
- Placement's follow-ups (placed from the waitlist, placement ended) continue the stay of its
  last decision: placement publishes one participant's events in order.

Which news is newer is decided by the events' own moments (`occurred_at`), not by arrival: a
replayed `ParticipantWaitlisted` older than the `ParticipantPlaced` already heard changes nothing.

A stay is closed by its exit, recorded once per stay, always for the latest one. Late news of it
changes only what it tells of the time before the exit: a placement that happened before the exit
was recorded, but arrived after it, still fills in the area the person left from (`Stay.hear`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from outcomes.domain.errors import (
    ExitDateNotBeforeEnrolment,
    ExitDateNotInFuture,
    ExitOnlyOnce,
    ParticipantMustBeKnown,
)
from outcomes.domain.exit_details import check_exit_details
from outcomes.domain.stay import (
    Enrolment,
    Exit,
    ExitDetails,
    NewsKind,
    ParticipantStatus,
    PlacementNews,
    PlacementState,
    Stay,
)
from werkstattnetz_shared.events.vocabulary import Destination, WorkArea


@dataclass
class EarlyNews:
    """Placement's news of a stay whose enrolment outcomes has not heard yet."""

    cause: uuid.UUID | None
    """The enrolment event placement's decision named; None for older events."""
    placement: PlacementState = field(default_factory=PlacementState)


@dataclass
class ParticipantRecord:
    participant_id: uuid.UUID
    stays: list[Stay] = field(default_factory=list)
    early_news: EarlyNews | None = None
    news_for_stay: int | None = None
    """The stay placement's latest decision was about (None: none heard, or it is early news)."""

    @property
    def current(self) -> Stay | None:
        """The latest stay: the one an exit is recorded for."""
        return self.stays[-1] if self.stays else None

    @property
    def is_known(self) -> bool:
        """Known = enrolled as far as outcomes has heard; only known participants can exit."""
        return bool(self.stays)

    @property
    def status(self) -> ParticipantStatus:
        if self.current:
            return self.current.status
        return self.early_news.placement.status if self.early_news else ParticipantStatus.ENROLLED

    @property
    def enrolment(self) -> Enrolment | None:
        return self.current.enrolment if self.current else None

    @property
    def work_area(self) -> WorkArea | None:
        """The latest stay's placement area, or its last one once it ended; None if never placed."""
        return self.current.placement.work_area if self.current else None

    @property
    def waitlisted_for(self) -> WorkArea | None:
        current = self.current
        return current.placement.waitlisted_for if current and current.is_open else None

    @property
    def exit(self) -> Exit | None:
        """The latest stay's exit; None while it is open."""
        return self.current.exit if self.current else None

    def record_enrolment(self, enrolment: Enrolment, announced_by: uuid.UUID | None = None) -> None:
        if self._has_heard(enrolment):
            return
        stay = Stay(number=len(self.stays) + 1, enrolment=enrolment, announced_by=announced_by)
        early = self.early_news
        if early is not None and early.cause in (None, announced_by):
            stay.placement, self.early_news, self.news_for_stay = early.placement, None, stay.number
        self.stays.append(stay)

    def record_placement(
        self,
        work_area: WorkArea,
        *,
        from_waitlist: bool = False,
        cause: uuid.UUID | None = None,
        at: dt.datetime | None = None,
        on: dt.date | None = None,
    ) -> None:
        news = PlacementNews(NewsKind.PLACED, work_area, at, on)
        if from_waitlist:
            self._follow_up(news)
        else:
            self._decision(cause, news)

    def record_waitlisting(
        self, work_area: WorkArea, *, cause: uuid.UUID | None = None, at: dt.datetime | None = None
    ) -> None:
        self._decision(cause, PlacementNews(NewsKind.WAITLISTED, work_area, at))

    def record_placement_end(
        self, work_area: WorkArea, *, at: dt.datetime | None = None, on: dt.date | None = None
    ) -> None:
        self._follow_up(PlacementNews(NewsKind.PLACEMENT_ENDED, work_area, at, on))

    def exit_to(
        self,
        destination: Destination,
        exit_date: dt.date,
        today: dt.date,
        details: ExitDetails = ExitDetails(),
        recorded_at: dt.datetime | None = None,
    ) -> Exit:
        """Record the exit of the latest stay; the rules are checked in the order a caseworker
        would meet them."""
        stay = self.current
        if stay is None:
            raise ParticipantMustBeKnown(
                f"outcomes knows of no enrolment of participant {self.participant_id}"
            )
        if stay.exit is not None:
            raise ExitOnlyOnce(
                f"participant {self.participant_id} already exited on {stay.exit.exit_date.isoformat()} "
                f"(stay {stay.number}); a new stay begins when intake enrols them again"
            )
        if exit_date > today:
            raise ExitDateNotInFuture(
                f"the exit date {exit_date.isoformat()} lies after today ({today.isoformat()})"
            )
        if exit_date < stay.enrolment.enrolled_on:
            raise ExitDateNotBeforeEnrolment(
                f"the exit date {exit_date.isoformat()} lies before the enrolment on "
                f"{stay.enrolment.enrolled_on.isoformat()}"
            )
        check_exit_details(destination, details.reason, details.next_step)
        stay.exit = Exit.of_stay(stay, destination, exit_date, details, recorded_at)
        return stay.exit

    def _has_heard(self, enrolment: Enrolment) -> bool:
        if enrolment.enrolment_id is None:
            return self.is_known
        return any(stay.enrolment.enrolment_id == enrolment.enrolment_id for stay in self.stays)

    def _decision(self, cause: uuid.UUID | None, news: PlacementNews) -> None:
        stay = self._stay_decided_on(cause)
        if stay is None:
            # Another decision on the same enrolment adds to what was heard early of it, and so
            # does one after follow-up news that named no enrolment (placed from the waitlist
            # before its waitlisting arrived): the follow-up continues the stay decided on.
            early = self.early_news
            if early is None or early.cause not in (None, cause):
                early = self.early_news = EarlyNews(cause)
            early.cause = cause
            self.news_for_stay = None
            early.placement.hear(news)
            return
        if stay.placement.is_stale(news):
            return  # a replay of what the stay has already moved past: it decides nothing
        # Placement publishes in order: anything kept from before is older than this decision.
        self.early_news, self.news_for_stay = None, stay.number
        stay.hear(news)

    def _follow_up(self, news: PlacementNews) -> None:
        if self.early_news is not None:
            self.early_news.placement.hear(news)
            return
        stay = self._stay_numbered(self.news_for_stay) if self.news_for_stay else self._open_stay()
        if stay is None:
            self.early_news = EarlyNews(cause=None)
            self.early_news.placement.hear(news)
        else:
            stay.hear(news)

    def _stay_decided_on(self, cause: uuid.UUID | None) -> Stay | None:
        """The stay whose enrolment the decision names; else the open stay (a stay's decision
        cannot come after the next stay began); None when it must be of a stay not heard yet."""
        named = next((stay for stay in self.stays if cause and stay.announced_by == cause), None)
        return named or self._open_stay()

    def _open_stay(self) -> Stay | None:
        current = self.current
        return current if current is not None and current.is_open else None

    def _stay_numbered(self, number: int) -> Stay | None:
        return next((stay for stay in self.stays if stay.number == number), None)
