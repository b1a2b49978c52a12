"""Attendance use cases: record a workshop's day, read its sheet and corrections, report a month.

Each opens and ends its own unit of work (one transaction): a recording's entries, the earlier
versions it replaced, the runs it completed and their events commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from placement.adapters.attendance_events import absence_threshold_reached
from placement.adapters.attendance_read_models import AttendanceSheet, EntryHistory
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.absence_report import AbsenceReport, ReportMonth, absence_report
from placement.domain.absence_streaks import streak_through
from placement.domain.attendance import (
    AttendanceEntry,
    AttendanceRecord,
    AttendanceStatus,
    AttendanceWorkshop,
    Recorder,
    apply_entries,
    check_day_may_be_recorded,
    check_entries,
    check_may_keep_attendance,
)
from placement.domain.attendance_errors import WorkshopMustBeKnown
from werkstattnetz_shared.events.vocabulary import Funder


@dataclass(frozen=True)
class RecordAttendanceDay:
    workshop_id: uuid.UUID
    day: dt.date
    entries: tuple[AttendanceEntry, ...]
    recorder: Recorder
    today: dt.date
    now: dt.datetime
    absence_threshold: int
    correlation_id: uuid.UUID


@dataclass(frozen=True)
class ViewAttendanceDay:
    workshop_id: uuid.UUID
    day: dt.date
    recorder: Recorder


async def record_attendance_day(command: RecordAttendanceDay, uow: PlacementUnitOfWork) -> AttendanceSheet:
    """Record or correct the named participants' attendance of the day; returns the day's sheet."""
    async with uow:
        workshop = await _workshop_kept_by(command.recorder, command.workshop_id, uow)
        check_day_may_be_recorded(workshop, command.day, command.today)
        placed = await uow.attendance.placed_in(workshop.workshop_id, command.day)
        check_entries(command.entries, placed, workshop.workshop_id, command.day)
        participants = [entry.participant_id for entry in command.entries]
        await uow.attendance.lock_participants(participants)
        existing = await uow.attendance.records_on(participants, command.day)
        changes = apply_entries(
            workshop,
            command.day,
            command.entries,
            existing,
            recorded_by=command.recorder.subject,
            now=command.now,
        )
        await uow.attendance.save(changes)
        for record in changes.written:
            await _report_run_it_completes(record, command, uow)
        sheet = await uow.attendance_views.sheet(workshop, command.day)
        await uow.commit()
    return sheet


async def view_attendance_day(query: ViewAttendanceDay, uow: PlacementUnitOfWork) -> AttendanceSheet:
    async with uow:
        workshop = await _workshop_kept_by(query.recorder, query.workshop_id, uow)
        return await uow.attendance_views.sheet(workshop, query.day)


async def attendance_history(query: ViewAttendanceDay, uow: PlacementUnitOfWork) -> list[EntryHistory]:
    async with uow:
        workshop = await _workshop_kept_by(query.recorder, query.workshop_id, uow)
        return await uow.attendance_views.history(workshop.workshop_id, query.day)


async def monthly_absence_report(
    month: ReportMonth, funder: Funder, today: dt.date, uow: PlacementUnitOfWork
) -> AbsenceReport:
    async with uow:
        spells = await uow.attendance_views.spells_of_funded(funder, month)
        records = await uow.attendance_views.records_of_funded(funder, month)
    return absence_report(month, funder, spells, records, today)


async def _workshop_kept_by(
    recorder: Recorder, workshop_id: uuid.UUID, uow: PlacementUnitOfWork
) -> AttendanceWorkshop:
    workshop = await uow.attendance.workshop(workshop_id)
    if workshop is None:
        raise WorkshopMustBeKnown(f"placement knows no workshop {workshop_id}")
    check_may_keep_attendance(recorder, workshop)
    return workshop


async def _report_run_it_completes(
    record: AttendanceRecord, command: RecordAttendanceDay, uow: PlacementUnitOfWork
) -> None:
    """An unexcused entry may complete a run of unexcused days; the first time one reaches the
    threshold, `AbsenceThresholdReached` goes into the outbox with the recording."""
    if record.status is not AttendanceStatus.UNEXCUSED:
        return
    days = await uow.attendance.days_around(record.participant_id, record.day)
    streak = streak_through(record.participant_id, record.day, days, command.absence_threshold)
    if streak is None:
        return
    reported_before = await uow.attendance.claim_streak_days(streak)
    if not streak.is_new(reported_before):
        return
    envelope = absence_threshold_reached(streak, correlation_id=command.correlation_id)
    await uow.outbox.add(envelope)
    await uow.attendance.remember_reported(streak, envelope.event_id)
