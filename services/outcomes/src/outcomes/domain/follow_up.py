"""The six-month follow-up of an exit (Verbleibsabfrage): when it falls due, and what is recorded.

Every exit gets one, scheduled in the exit's transaction: due `after_days` (182) after the exit
date, at the start of that day in the programme's time zone. For tests and demonstrations a delay
in seconds (`delay`) replaces that: due so long after the exit was recorded.

A follow-up is `scheduled` until its moment, then `due`; `overdue` once the grace period after
its moment passed without a record; `recorded` once the caseworker said where the person is.
Recording is possible from its moment on (not before: it asks where someone is six months on),
once, for a day not before it fell due and not after today.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, replace
from enum import StrEnum
from zoneinfo import ZoneInfo

from outcomes.domain.errors import (
    FollowUpDateNotBeforeDue,
    FollowUpDateNotInFuture,
    FollowUpMustBeDue,
    FollowUpRecordedOnce,
)
from outcomes.domain.stay import Exit
from werkstattnetz_shared.events.vocabulary import (
    Destination,
    FollowUpSituation,
    Funder,
    NextStep,
    WorkArea,
)

DEFAULT_AFTER_DAYS = 182
DEFAULT_GRACE_DAYS = 30

RETAINED_SITUATIONS = frozenset({FollowUpSituation.STILL_IN_TRAINING, FollowUpSituation.STILL_EMPLOYED})


class FollowUpStatus(StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"
    OVERDUE = "overdue"
    RECORDED = "recorded"


@dataclass(frozen=True)
class FollowUpSchedule:
    after_days: int = DEFAULT_AFTER_DAYS
    delay: dt.timedelta | None = None
    """Replaces `after_days` when set: due this long after the exit was recorded (tests, demos)."""
    grace: dt.timedelta = dt.timedelta(days=DEFAULT_GRACE_DAYS)
    timezone: str = "Europe/Berlin"

    def due_for(self, exit_date: dt.date, recorded_at: dt.datetime) -> tuple[dt.date, dt.datetime]:
        """The day and the moment the follow-up of an exit falls due."""
        zone = ZoneInfo(self.timezone)
        if self.delay is not None:
            due_at = recorded_at + self.delay
            return due_at.astimezone(zone).date(), due_at
        due_on = exit_date + dt.timedelta(days=self.after_days)
        return due_on, dt.datetime.combine(due_on, dt.time(), tzinfo=zone)


@dataclass(frozen=True)
class FollowUp:
    """One exit's follow-up, with the exit's coarse facts the reports and events need."""

    follow_up_id: uuid.UUID
    participant_id: uuid.UUID
    stay: int
    exit_date: dt.date
    due_on: dt.date
    due_at: dt.datetime
    destination: Destination
    integrated: bool
    jobcenter_integrated: bool
    funder: Funder
    funders: tuple[Funder, ...]
    next_step: NextStep | None = None
    work_area: WorkArea | None = None
    due_published: bool = False
    """Whether `FollowUpDue` went into the outbox (exactly once: by the timer, or by the recording)."""
    situation: FollowUpSituation | None = None
    recorded_on: dt.date | None = None

    @classmethod
    def of_exit(
        cls, participant_id: uuid.UUID, exit_: Exit, schedule: FollowUpSchedule, recorded_at: dt.datetime
    ) -> FollowUp:
        due_on, due_at = schedule.due_for(exit_.exit_date, recorded_at)
        return cls(
            follow_up_id=uuid.uuid4(),
            participant_id=participant_id,
            stay=exit_.stay,
            exit_date=exit_.exit_date,
            due_on=due_on,
            due_at=due_at,
            destination=exit_.destination,
            integrated=exit_.integrated,
            jobcenter_integrated=exit_.counts_for_jobcenter,
            funder=exit_.funder,
            funders=exit_.funders or (exit_.funder,),
            next_step=exit_.details.next_step,
            work_area=exit_.work_area,
        )

    @property
    def is_recorded(self) -> bool:
        return self.situation is not None

    @property
    def retained(self) -> bool:
        return self.situation in RETAINED_SITUATIONS

    def is_due(self, now: dt.datetime) -> bool:
        return self.due_at <= now

    def status(self, now: dt.datetime, grace: dt.timedelta) -> FollowUpStatus:
        if self.is_recorded:
            return FollowUpStatus.RECORDED
        if not self.is_due(now):
            return FollowUpStatus.SCHEDULED
        return FollowUpStatus.OVERDUE if self.due_at + grace <= now else FollowUpStatus.DUE

    def counts_for(self, funder: Funder) -> bool:
        return funder in self.funders

    def fell_due(self) -> FollowUp:
        return replace(self, due_published=True)

    def record(
        self, situation: FollowUpSituation, recorded_on: dt.date, today: dt.date, now: dt.datetime
    ) -> FollowUp:
        if self.is_recorded:
            raise FollowUpRecordedOnce(
                f"the follow-up {self.follow_up_id} was recorded on {self.recorded_on} already"
            )
        if not self.is_due(now):
            raise FollowUpMustBeDue(
                f"the follow-up {self.follow_up_id} falls due on {self.due_on.isoformat()}, not before"
            )
        if recorded_on > today:
            raise FollowUpDateNotInFuture(
                f"recorded_on {recorded_on.isoformat()} lies after today ({today.isoformat()})"
            )
        if recorded_on < self.due_on:
            raise FollowUpDateNotBeforeDue(
                f"recorded_on {recorded_on.isoformat()} lies before the follow-up fell due "
                f"({self.due_on.isoformat()})"
            )
        return replace(self, situation=situation, recorded_on=recorded_on)
