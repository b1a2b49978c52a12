"""Views of attendance for the API: the domain's and read models' objects mapped onto the bodies."""

from __future__ import annotations

from placement.adapters.attendance_read_models import AttendanceSheet, EntryHistory
from placement.domain.absence_report import AbsenceCode, AbsenceReport
from placement.entrypoints.attendance_schemas import (
    AbsenceReportTotalsView,
    AbsenceReportView,
    AbsenceTotalsView,
    AbsenceView,
    AttendanceDayView,
    AttendanceLineView,
    EntryHistoryView,
    EntryVersionView,
    ParticipantAbsencesView,
)

_CODES = {AbsenceCode.E: "excused", AbsenceCode.UE: "unexcused", AbsenceCode.K: "sick"}


def day_view(sheet: AttendanceSheet) -> AttendanceDayView:
    return AttendanceDayView(
        workshop_id=sheet.workshop.workshop_id,
        day=sheet.day,
        workshop_open=sheet.workshop.is_open_on(sheet.day),
        entries=[
            AttendanceLineView(
                participant_id=line.participant_id,
                placed=line.placed,
                status=line.status,
                hours_present=float(line.hours_present) if line.hours_present is not None else None,
                version=line.version,
                recorded_by=line.recorded_by,
                recorded_at=line.recorded_at,
            )
            for line in sheet.lines
        ],
    )


def history_view(history: EntryHistory) -> EntryHistoryView:
    return EntryHistoryView(
        participant_id=history.participant_id,
        versions=[
            EntryVersionView(
                version=version.version,
                status=version.status,
                hours_present=float(version.hours_present),
                recorded_by=version.recorded_by,
                recorded_at=version.recorded_at,
                replaced_by=version.replaced_by,
                replaced_at=version.replaced_at,
            )
            for version in history.versions
        ],
    )


def report_view(report: AbsenceReport) -> AbsenceReportView:
    totals = report.totals
    return AbsenceReportView(
        month=str(report.month),
        funder=report.funder,
        codes={code.value: meaning for code, meaning in _CODES.items()},
        participants=[
            ParticipantAbsencesView(
                participant_id=line.participant_id,
                days_placed=line.days_placed,
                days_recorded=line.days_recorded,
                days_present=line.days_present,
                hours_present=float(line.hours_present),
                absences=[AbsenceView(day=a.day, code=a.code.value) for a in line.absences],
                totals=AbsenceTotalsView(**{code.value: count for code, count in line.totals.items()}),
            )
            for line in report.participants
        ],
        totals=AbsenceReportTotalsView(
            participants=len(report.participants),
            days_placed=report.days_placed,
            days_recorded=report.days_recorded,
            days_present=report.days_present,
            **{code.value: count for code, count in totals.items()},
        ),
    )
