"""Unexcused absences in a row: what a run is, when it reaches the threshold, and when it is new."""

from __future__ import annotations

import datetime as dt
import uuid

from placement.domain.absence_streaks import DayRecorded, streak_through
from tests.unit.placement.attendance_builders import EXCUSED, MONDAY, PRESENT, SICK, UNEXCUSED, days

LEA = uuid.uuid4()


def _day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def test_three_unexcused_days_in_a_row_reach_the_default_threshold() -> None:
    recorded = days(MONDAY, PRESENT, UNEXCUSED, UNEXCUSED, UNEXCUSED)
    streak = streak_through(LEA, _day(3), recorded, threshold=3)
    assert streak is not None
    assert (streak.started_on, streak.ended_on, streak.length) == (_day(1), _day(3), 3)
    assert streak.workshop_id == recorded[-1].workshop_id
    assert streak.participant_id == LEA


def test_two_are_not_enough() -> None:
    recorded = days(MONDAY, PRESENT, UNEXCUSED, UNEXCUSED)
    assert streak_through(LEA, _day(2), recorded, threshold=3) is None


def test_the_threshold_is_configurable() -> None:
    recorded = days(MONDAY, UNEXCUSED, UNEXCUSED)
    assert streak_through(LEA, _day(1), recorded, threshold=2) is not None
    assert streak_through(LEA, _day(0), recorded, threshold=1) is not None


def test_days_without_an_entry_do_not_break_a_run() -> None:
    friday = MONDAY + dt.timedelta(days=4)
    recorded = days(friday, UNEXCUSED, UNEXCUSED, UNEXCUSED)  # Friday, Monday, Tuesday
    assert [r.day.isoweekday() for r in recorded] == [5, 1, 2]
    streak = streak_through(LEA, recorded[-1].day, recorded, threshold=3)
    assert streak is not None
    assert streak.started_on == friday


def test_any_other_status_breaks_a_run() -> None:
    for breaker in (PRESENT, EXCUSED, SICK):
        recorded = days(MONDAY, UNEXCUSED, UNEXCUSED, breaker, UNEXCUSED)
        assert streak_through(LEA, _day(3), recorded, threshold=3) is None
        assert streak_through(LEA, _day(1), recorded, threshold=3) is None


def test_a_day_filled_in_between_completes_the_run_through_it() -> None:
    """Recorded late or corrected: the run is found from the day changed, both ways."""
    recorded = days(MONDAY, UNEXCUSED, UNEXCUSED, UNEXCUSED, UNEXCUSED, UNEXCUSED)
    streak = streak_through(LEA, _day(2), recorded, threshold=3)
    assert streak is not None
    assert (streak.started_on, streak.ended_on, streak.length) == (_day(0), _day(4), 5)


def test_an_entry_that_is_not_unexcused_is_no_run() -> None:
    recorded = days(MONDAY, UNEXCUSED, UNEXCUSED, SICK)
    assert streak_through(LEA, _day(2), recorded, threshold=1) is None
    assert streak_through(LEA, _day(9), recorded, threshold=1) is None


def test_a_run_crosses_a_transfer_and_names_the_workshop_of_its_last_day() -> None:
    first, second = days(MONDAY, UNEXCUSED, UNEXCUSED), days(_day(2), UNEXCUSED)
    streak = streak_through(LEA, _day(2), [*second, *first], threshold=3)
    assert streak is not None
    assert streak.workshop_id == second[0].workshop_id
    assert streak.length == 3


def test_a_run_sharing_a_day_with_a_reported_one_is_not_new() -> None:
    """It grew, or a correction broke a reported run and left a part: reported once is enough."""
    recorded = days(MONDAY, UNEXCUSED, UNEXCUSED, UNEXCUSED, UNEXCUSED)
    streak = streak_through(LEA, _day(3), recorded, threshold=3)
    assert streak is not None
    assert streak.is_new(set())
    assert not streak.is_new({_day(0), _day(1), _day(2)})
    assert not streak.is_new({_day(2)})
    assert streak.is_new({_day(7), MONDAY - dt.timedelta(days=7)})


def test_the_records_may_come_in_any_order() -> None:
    recorded: list[DayRecorded] = list(reversed(days(MONDAY, UNEXCUSED, UNEXCUSED, UNEXCUSED)))
    streak = streak_through(LEA, _day(0), recorded, threshold=3)
    assert streak is not None
    assert streak.days == (_day(0), _day(1), _day(2))
