"""Attendance and the monthly absence report over HTTP. Routes only translate: request → use case → view.

Who may: a workshop lead keeps the attendance of the workshops they lead (`lead_instructor` is
their token subject; another workshop is a 403), managers and admins of every workshop, nobody
else (403). An unknown workshop is a 404 for everyone allowed to keep attendance at all. The
report is for the `reporting` and `manager` roles.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request, Response, status

from placement.application import attendance_handlers as handlers
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.absence_report import ReportMonth
from placement.domain.attendance import AttendanceEntry, Recorder
from placement.domain.attendance_errors import (
    AttendanceRecordedInAnotherWorkshop,
    AttendanceRuleViolated,
    MustLeadWorkshop,
    WorkshopMustBeKnown,
)
from placement.entrypoints.absence_report_csv import CSV_EXAMPLE, absence_report_csv
from placement.entrypoints.attendance_schemas import (
    AbsenceReportView,
    AttendanceDayRequest,
    AttendanceDayView,
    AttendanceHistoryView,
)
from placement.entrypoints.attendance_views import day_view, history_view, report_view
from placement.settings import PlacementSettings
from werkstattnetz_shared.events.vocabulary import Funder
from werkstattnetz_shared.web.app import request_correlation_id
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.content_negotiation import CSV_MEDIA_TYPE, prefers_csv
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, error_responses, rule_violation_error
from werkstattnetz_shared.web.request_models import PlausibleDate

router = APIRouter(prefix="/v1", tags=["attendance"], responses=error_responses(401, 403, 503))

AttendanceKeepers = Annotated[StaffMember, require_roles(StaffRole.WORKSHOP_LEAD, StaffRole.MANAGER)]
ReportingStaff = Annotated[StaffMember, require_roles(StaffRole.REPORTING, StaffRole.MANAGER)]
UnitOfWork = UnitOfWorkOf[PlacementUnitOfWork]
WorkshopId = Annotated[uuid.UUID, Path(description="The workshop's id.")]
Day = Annotated[PlausibleDate, Path(description="The day, YYYY-MM-DD.")]

# The first rule that matches decides: the specific ones before the base class.
_STATUS_OF_RULE: dict[type[AttendanceRuleViolated], int] = {
    WorkshopMustBeKnown: status.HTTP_404_NOT_FOUND,
    MustLeadWorkshop: status.HTTP_403_FORBIDDEN,
    AttendanceRecordedInAnotherWorkshop: status.HTTP_409_CONFLICT,
    AttendanceRuleViolated: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


# The domain names the input a rule is about; the answer names where it was in the request.
_REQUEST_FIELD = {"day": "path.day", "workshop_id": "path.workshop_id", "month": "query.month"}


def _api_error(violation: AttendanceRuleViolated) -> ApiError:
    error = rule_violation_error(violation, _STATUS_OF_RULE)
    error.failures = [
        dataclasses.replace(failure, field=_REQUEST_FIELD.get(failure.field, failure.field))
        for failure in error.failures
    ]
    return error


@router.put(
    "/workshops/{workshop_id}/attendance/{day}",
    response_model=AttendanceDayView,
    responses=error_responses(404, 409, 422),
)
async def record_attendance_day(
    workshop_id: WorkshopId,
    day: Day,
    body: AttendanceDayRequest,
    request: Request,
    staff: AttendanceKeepers,
    uow: UnitOfWork,
) -> AttendanceDayView:
    """Record or correct a workshop day's attendance in one go (a correction keeps the earlier
    version). Participants left out keep their entries; sending the same day again changes nothing.
    Only participants placed in the workshop on that day; not in the future; not on closed days.
    """
    settings: PlacementSettings = request.app.state.settings
    command = handlers.RecordAttendanceDay(
        workshop_id=workshop_id,
        day=day,
        entries=tuple(
            AttendanceEntry(
                participant_id=entry.participant_id,
                status=entry.status,
                hours_present=Decimal(str(entry.hours_present or 0)),
            )
            for entry in body.entries
        ),
        recorder=_recorder(staff),
        today=dt.datetime.now(ZoneInfo(settings.timezone)).date(),
        now=dt.datetime.now(dt.UTC),
        absence_threshold=settings.absence_threshold,
        correlation_id=request_correlation_id(),
    )
    try:
        sheet = await handlers.record_attendance_day(command, uow)
    except AttendanceRuleViolated as violation:
        raise _api_error(violation) from violation
    return day_view(sheet)


@router.get(
    "/workshops/{workshop_id}/attendance/{day}",
    response_model=AttendanceDayView,
    responses=error_responses(404, 422),
)
async def view_attendance_day(
    workshop_id: WorkshopId, day: Day, staff: AttendanceKeepers, uow: UnitOfWork
) -> AttendanceDayView:
    """The day's sheet: everyone placed in the workshop that day, with their entry if recorded."""
    query = handlers.ViewAttendanceDay(workshop_id=workshop_id, day=day, recorder=_recorder(staff))
    try:
        return day_view(await handlers.view_attendance_day(query, uow))
    except AttendanceRuleViolated as violation:
        raise _api_error(violation) from violation


@router.get(
    "/workshops/{workshop_id}/attendance/{day}/history",
    response_model=AttendanceHistoryView,
    responses=error_responses(404, 422),
)
async def attendance_history(
    workshop_id: WorkshopId, day: Day, staff: AttendanceKeepers, uow: UnitOfWork
) -> AttendanceHistoryView:
    """Every version of the day's entries: what was recorded first, each correction, who and when."""
    query = handlers.ViewAttendanceDay(workshop_id=workshop_id, day=day, recorder=_recorder(staff))
    try:
        histories = await handlers.attendance_history(query, uow)
    except AttendanceRuleViolated as violation:
        raise _api_error(violation) from violation
    return AttendanceHistoryView(
        workshop_id=workshop_id, day=day, participants=[history_view(history) for history in histories]
    )


@router.get(
    "/reports/absences",
    response_model=AbsenceReportView,
    responses={
        200: {
            "description": "The report as JSON, or as CSV for `Accept: text/csv`.",
            "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
        },
        **error_responses(422),
    },
)
async def absence_report(
    request: Request,
    staff: ReportingStaff,
    uow: UnitOfWork,
    month: Annotated[
        str,
        Query(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="The month, YYYY-MM.", examples=["2026-11"]),
    ],
    funder: Annotated[Funder, Query(description="Participants whose current stay this funder pays for.")],
) -> AbsenceReportView | Response:
    """A month's absences per participant and day in the Jobcenter's codes E, UE and K, with totals.

    Counted: the funder's participants (co-funded ones in each funder's report) on the days of the
    month they were placed in a workshop. Pseudonymous ids only.
    """
    settings: PlacementSettings = request.app.state.settings
    try:
        report_month = ReportMonth.parse(month)
    except AttendanceRuleViolated as violation:
        raise _api_error(violation) from violation
    today = dt.datetime.now(ZoneInfo(settings.timezone)).date()
    report = await handlers.monthly_absence_report(report_month, funder, today, uow)
    if prefers_csv(request.headers.get("accept")):
        return Response(
            absence_report_csv(report),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="absences-{funder}-{report_month}.csv"'},
        )
    return report_view(report)


def _recorder(staff: StaffMember) -> Recorder:
    return Recorder(subject=staff.subject, for_every_workshop=staff.has_any((StaffRole.MANAGER,)))
