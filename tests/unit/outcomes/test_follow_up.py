"""The six-month follow-up: when it falls due, when it is overdue, and what may be recorded."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from outcomes.domain.errors import (
    FollowUpDateNotBeforeDue,
    FollowUpDateNotInFuture,
    FollowUpMustBeDue,
    FollowUpRecordedOnce,
)
from outcomes.domain.follow_up import FollowUp, FollowUpSchedule, FollowUpStatus
from outcomes.domain.stay import Exit, ExitDetails
from werkstattnetz_shared.events.vocabulary import Destination, FollowUpSituation, Funder, NextStep, WorkArea

BERLIN = ZoneInfo("Europe/Berlin")
EXIT_DAY = dt.date(2026, 11, 20)
RECORDED_AT = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
GRACE = dt.timedelta(days=30)


def follow_up(schedule: FollowUpSchedule = FollowUpSchedule()) -> FollowUp:
    exit_ = Exit.into(
        Destination.APPRENTICESHIP,
        EXIT_DAY,
        WorkArea.CARE,
        Funder.JOBCENTER,
        (Funder.JOBCENTER, Funder.CITY),
        details=ExitDetails(next_step=NextStep.DUAL_APPRENTICESHIP),
    )
    return FollowUp.of_exit(uuid.uuid4(), exit_, schedule, RECORDED_AT)


def test_it_falls_due_182_days_after_the_exit_date_at_midnight_in_the_programmes_time_zone() -> None:
    due = follow_up()
    assert due.due_on == dt.date(2027, 5, 21)
    assert due.due_at == dt.datetime(2027, 5, 21, tzinfo=BERLIN)
    assert (due.integrated, due.jobcenter_integrated, due.next_step) == (
        True,
        True,
        NextStep.DUAL_APPRENTICESHIP,
    )
    assert due.funders == (Funder.JOBCENTER, Funder.CITY)


def test_the_days_are_configurable() -> None:
    assert follow_up(FollowUpSchedule(after_days=30)).due_on == dt.date(2026, 12, 20)


def test_a_delay_in_seconds_counts_from_when_the_exit_was_recorded() -> None:
    due = follow_up(FollowUpSchedule(delay=dt.timedelta(seconds=5)))
    assert due.due_at == RECORDED_AT + dt.timedelta(seconds=5)
    assert due.due_on == dt.date(2026, 11, 24)


def test_it_is_scheduled_then_due_then_overdue_after_the_grace_period() -> None:
    due = follow_up()
    assert due.status(due.due_at - dt.timedelta(seconds=1), GRACE) is FollowUpStatus.SCHEDULED
    assert due.status(due.due_at, GRACE) is FollowUpStatus.DUE
    assert due.status(due.due_at + GRACE - dt.timedelta(seconds=1), GRACE) is FollowUpStatus.DUE
    assert due.status(due.due_at + GRACE, GRACE) is FollowUpStatus.OVERDUE


def test_recorded_it_is_recorded_whenever_one_looks() -> None:
    due = follow_up()
    recorded = due.record(FollowUpSituation.STILL_IN_TRAINING, due.due_on, due.due_on, due.due_at)
    assert recorded.status(due.due_at + 10 * GRACE, GRACE) is FollowUpStatus.RECORDED
    assert recorded.retained


def test_it_cannot_be_recorded_before_it_falls_due() -> None:
    due = follow_up()
    with pytest.raises(FollowUpMustBeDue):
        due.record(FollowUpSituation.UNKNOWN, EXIT_DAY, EXIT_DAY, due.due_at - dt.timedelta(seconds=1))


def test_it_is_recorded_once() -> None:
    due = follow_up()
    recorded = due.record(FollowUpSituation.CHANGED, due.due_on, due.due_on, due.due_at)
    assert not recorded.retained
    with pytest.raises(FollowUpRecordedOnce):
        recorded.record(FollowUpSituation.STILL_EMPLOYED, due.due_on, due.due_on, due.due_at)


def test_the_day_recorded_lies_between_the_due_day_and_today() -> None:
    due = follow_up()
    today = due.due_on + dt.timedelta(days=3)
    with pytest.raises(FollowUpDateNotInFuture) as future:
        due.record(FollowUpSituation.UNKNOWN, today + dt.timedelta(days=1), today, due.due_at)
    assert future.value.field == "recorded_on"
    with pytest.raises(FollowUpDateNotBeforeDue):
        due.record(FollowUpSituation.UNKNOWN, due.due_on - dt.timedelta(days=1), today, due.due_at)
