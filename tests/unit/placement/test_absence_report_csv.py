"""The absence report as CSV, and when a client gets CSV rather than JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest

from placement.domain.absence_report import PlacedSpell, RecordedDay, ReportMonth, absence_report
from placement.entrypoints.absence_report_csv import absence_report_csv
from tests.unit.placement.attendance_builders import EXCUSED, PRESENT, SICK, UNEXCUSED, WEEKDAYS
from werkstattnetz_shared.events.vocabulary import Funder
from werkstattnetz_shared.web.content_negotiation import prefers_csv

LEA, BEN = uuid.UUID(int=1), uuid.UUID(int=2)


def test_one_row_per_participant_one_column_per_day_then_totals() -> None:
    november = ReportMonth(2026, 11)
    report = absence_report(
        november,
        Funder.JOBCENTER,
        [
            PlacedSpell(LEA, dt.date(2026, 11, 2), None, WEEKDAYS),
            PlacedSpell(BEN, dt.date(2026, 11, 2), None, WEEKDAYS),
        ],
        [
            RecordedDay(LEA, dt.date(2026, 11, 2), PRESENT, Decimal(6)),
            RecordedDay(LEA, dt.date(2026, 11, 3), UNEXCUSED, Decimal(0)),
            RecordedDay(BEN, dt.date(2026, 11, 3), SICK, Decimal(0)),
            RecordedDay(BEN, dt.date(2026, 11, 4), EXCUSED, Decimal(0)),
        ],
        today=dt.date(2026, 11, 4),
    )
    rows = list(csv.reader(io.StringIO(absence_report_csv(report))))
    header, lea, ben, total = rows
    assert header[0] == "participant_id"
    assert header[1:31] == [day.isoformat() for day in november.days]
    assert header[31:] == ["E", "UE", "K", "days_placed", "days_present"]
    assert lea[0] == str(LEA)
    assert (lea[2], lea[3], lea[4]) == ("", "UE", "")
    assert lea[31:] == ["0", "1", "0", "3", "1"]
    assert (ben[3], ben[4]) == ("K", "E")
    assert ben[31:] == ["1", "0", "1", "3", "0"]
    assert total[0] == "total"
    assert set(total[1:31]) == {""}
    assert total[31:] == ["1", "1", "1", "6", "1"]


def test_an_empty_month_is_a_header_and_a_total() -> None:
    report = absence_report(ReportMonth(2027, 2), Funder.CITY, [], [], today=dt.date(2027, 3, 1))
    header, total = list(csv.reader(io.StringIO(absence_report_csv(report))))
    assert len(header) == 1 + 28 + 5
    assert total[29:] == ["0", "0", "0", "0", "0"]


@pytest.mark.parametrize(
    ("accept", "csv_wanted"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("text/csv", True),
        ("Text/CSV; charset=utf-8", True),
        ("text/csv, */*", True),
        ("text/csv;q=0.5, application/json", False),
        ("application/json;q=0.5, text/csv", True),
        ("text/csv;q=0", False),
        ("text/csv;q=oops", False),
        ("text/html", False),
    ],
)
def test_csv_only_when_the_accept_header_ranks_it_first(accept: str | None, csv_wanted: bool) -> None:
    assert prefers_csv(accept) is csv_wanted
