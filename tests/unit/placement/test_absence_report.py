"""The monthly absence report: who is counted, which days count, codes and totals."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from placement.domain.absence_report import (
    AbsenceCode,
    PlacedSpell,
    RecordedDay,
    ReportMonth,
    absence_report,
)
from placement.domain.attendance import AttendanceStatus
from placement.domain.attendance_errors import ReportMonthMustBePlausible
from tests.unit.placement.attendance_builders import EXCUSED, PRESENT, SICK, UNEXCUSED, WEEKDAYS
from werkstattnetz_shared.events.vocabulary import Funder

NOVEMBER = ReportMonth(2026, 11)
AFTER_NOVEMBER = dt.date(2026, 12, 15)
LEA, BEN = uuid.UUID(int=1), uuid.UUID(int=2)


def nov(day: int) -> dt.date:
    return dt.date(2026, 11, day)


def spell(participant: uuid.UUID, placed_on: dt.date, ended_on: dt.date | None = None) -> PlacedSpell:
    return PlacedSpell(participant, placed_on, ended_on, WEEKDAYS)


def entry(participant: uuid.UUID, day: dt.date, status: AttendanceStatus, hours: str = "0") -> RecordedDay:
    return RecordedDay(participant, day, status, Decimal(hours))


def test_months_are_parsed_and_know_their_days() -> None:
    assert ReportMonth.parse("2026-11") == NOVEMBER
    assert (NOVEMBER.first_day, NOVEMBER.last_day, len(NOVEMBER.days)) == (nov(1), nov(30), 30)
    assert ReportMonth.parse("2024-02").last_day == dt.date(2024, 2, 29)
    assert ReportMonth.parse("2026-12").last_day == dt.date(2026, 12, 31)
    assert str(ReportMonth.parse("1990-01")) == "1990-01"


@pytest.mark.parametrize("text", ["1989-12", "2101-01", "2026-13", "2026-1", "26-11", ""])
def test_implausible_months_are_refused(text: str) -> None:
    with pytest.raises(ReportMonthMustBePlausible) as refused:
        ReportMonth.parse(text)
    assert refused.value.field == "month"


def test_each_absence_is_listed_with_its_jobcenter_code_and_counted() -> None:
    report = absence_report(
        NOVEMBER,
        Funder.JOBCENTER,
        [spell(LEA, dt.date(2026, 10, 1))],
        [
            entry(LEA, nov(2), PRESENT, "6"),
            entry(LEA, nov(3), EXCUSED),
            entry(LEA, nov(4), UNEXCUSED),
            entry(LEA, nov(5), SICK, "2"),
            entry(LEA, nov(6), UNEXCUSED),
        ],
        AFTER_NOVEMBER,
    )
    [lea] = report.participants
    assert [(a.day, a.code) for a in lea.absences] == [
        (nov(3), AbsenceCode.E),
        (nov(4), AbsenceCode.UE),
        (nov(5), AbsenceCode.K),
        (nov(6), AbsenceCode.UE),
    ]
    assert lea.totals == {AbsenceCode.E: 1, AbsenceCode.UE: 2, AbsenceCode.K: 1}
    assert (lea.days_placed, lea.days_recorded, lea.days_present, lea.hours_present) == (21, 5, 1, Decimal(8))
    assert report.totals == lea.totals


def test_only_days_placed_count() -> None:
    """Placed from the 10th to the 20th: an entry outside (its spell corrected later) is left out."""
    report = absence_report(
        NOVEMBER,
        Funder.JOBCENTER,
        [spell(LEA, nov(10), nov(20))],
        [entry(LEA, nov(9), UNEXCUSED), entry(LEA, nov(10), UNEXCUSED), entry(LEA, nov(20), SICK)],
        AFTER_NOVEMBER,
    )
    [lea] = report.participants
    assert [a.day for a in lea.absences] == [nov(10), nov(20)]
    assert lea.days_placed == 9  # the weekdays from Tuesday 10th to Friday 20th


def test_days_placed_stop_at_today_and_at_closed_days() -> None:
    mondays_only = PlacedSpell(LEA, nov(1), None, frozenset({1}))
    report = absence_report(NOVEMBER, Funder.CITY, [mondays_only], [], today=nov(16))
    assert report.participants[0].days_placed == 3  # 2nd, 9th, 16th


def test_a_transfer_within_the_month_counts_both_workshops() -> None:
    report = absence_report(
        NOVEMBER,
        Funder.JOBCENTER,
        [spell(LEA, dt.date(2026, 9, 1), nov(13)), spell(LEA, nov(16))],
        [entry(LEA, nov(13), UNEXCUSED), entry(LEA, nov(16), UNEXCUSED)],
        AFTER_NOVEMBER,
    )
    [lea] = report.participants
    assert (lea.days_placed, lea.totals[AbsenceCode.UE]) == (21, 2)


def test_everyone_placed_is_listed_in_id_order_even_without_absences() -> None:
    report = absence_report(
        NOVEMBER,
        Funder.JOBCENTER,
        [spell(BEN, nov(2)), spell(LEA, nov(2))],
        [entry(BEN, nov(2), SICK)],
        AFTER_NOVEMBER,
    )
    assert [p.participant_id for p in report.participants] == [LEA, BEN]
    assert report.participants[0].absences == []
    assert (report.days_placed, report.days_recorded, report.days_present) == (42, 1, 0)
    assert report.totals == {AbsenceCode.E: 0, AbsenceCode.UE: 0, AbsenceCode.K: 1}


def test_a_spell_outside_the_month_counts_nobody() -> None:
    report = absence_report(NOVEMBER, Funder.JOBCENTER, [spell(LEA, nov(1), nov(1))], [], AFTER_NOVEMBER)
    assert [p.days_placed for p in report.participants] == [0]  # a Sunday: placed, but closed
    empty = absence_report(NOVEMBER, Funder.JOBCENTER, [], [entry(LEA, nov(3), SICK)], AFTER_NOVEMBER)
    assert empty.participants == []
