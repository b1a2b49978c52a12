"""Builders for attendance's domain tests: a workshop, entries and records in one line each."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from placement.domain.absence_streaks import DayRecorded
from placement.domain.attendance import (
    AttendanceEntry,
    AttendanceRecord,
    AttendanceStatus,
    AttendanceWorkshop,
)
from werkstattnetz_shared.events.vocabulary import WorkArea

MONDAY = dt.date(2026, 11, 23)
TODAY = dt.date(2026, 11, 25)  # a Wednesday
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
WEEKDAYS = frozenset({1, 2, 3, 4, 5})

PRESENT = AttendanceStatus.PRESENT
EXCUSED = AttendanceStatus.EXCUSED
SICK = AttendanceStatus.SICK
UNEXCUSED = AttendanceStatus.UNEXCUSED


def workshop(
    lead: str | None = "lena.lead", opening_days: frozenset[int] = WEEKDAYS, area: WorkArea = WorkArea.CARE
) -> AttendanceWorkshop:
    return AttendanceWorkshop(
        workshop_id=uuid.uuid4(), work_area=area, lead_instructor=lead, opening_days=opening_days
    )


def entry(participant_id: uuid.UUID, status: AttendanceStatus, hours: str = "0") -> AttendanceEntry:
    return AttendanceEntry(participant_id=participant_id, status=status, hours_present=Decimal(hours))


def record(
    participant_id: uuid.UUID,
    status: AttendanceStatus,
    *,
    day: dt.date = MONDAY,
    workshop_id: uuid.UUID,
    hours: str = "0",
    version: int = 1,
    by: str = "lena.lead",
) -> AttendanceRecord:
    return AttendanceRecord(
        participant_id=participant_id,
        day=day,
        workshop_id=workshop_id,
        status=status,
        hours_present=Decimal(hours),
        version=version,
        recorded_by=by,
        recorded_at=NOW - dt.timedelta(days=1),
    )


def days(
    start: dt.date, *statuses: AttendanceStatus, workshop_id: uuid.UUID | None = None
) -> list[DayRecorded]:
    """One entry per weekday from `start` on (weekends skipped, as a workshop would record them)."""
    recorded, day, workshop_id = [], start, workshop_id or uuid.uuid4()
    for status in statuses:
        while day.isoweekday() > 5:
            day += dt.timedelta(days=1)
        recorded.append(DayRecorded(day=day, status=status, workshop_id=workshop_id, work_area=WorkArea.CARE))
        day += dt.timedelta(days=1)
    return recorded
