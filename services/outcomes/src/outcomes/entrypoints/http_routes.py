"""outcomes' HTTP API. Routes only translate: request → command → use case → response."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from outcomes.application import handlers
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.errors import (
    ExitDateNotBeforeEnrolment,
    ExitDateNotInFuture,
    ExitOnlyOnce,
    OutcomesRuleViolated,
    ParticipantMustBeKnown,
    PeriodMustRunForward,
)
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.report import IntegrationReport, ReportPeriod
from outcomes.domain.stay import Exit, Stay
from outcomes.entrypoints.http_schemas import (
    EarlierStayView,
    ExitRecorded,
    ExitRequest,
    ExitView,
    FundingShareView,
    IntegrationReportView,
    ParticipantOutcome,
    RateLineView,
    ReportPeriodView,
)
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.events.vocabulary import Funder
from werkstattnetz_shared.web.app import request_correlation_id
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import error_responses, rule_violation_error
from werkstattnetz_shared.web.idempotency import IdempotencyKey, answer_once
from werkstattnetz_shared.web.request_models import PlausibleDate

# Every route needs a token and a role, and reads or writes the database.
router = APIRouter(prefix="/v1", tags=["outcomes"], responses=error_responses(401, 403, 503))

_STATUS_OF_RULE: dict[type[OutcomesRuleViolated], int] = {
    ParticipantMustBeKnown: status.HTTP_404_NOT_FOUND,
    ExitOnlyOnce: status.HTTP_409_CONFLICT,
    ExitDateNotInFuture: status.HTTP_422_UNPROCESSABLE_CONTENT,
    ExitDateNotBeforeEnrolment: status.HTTP_422_UNPROCESSABLE_CONTENT,
    PeriodMustRunForward: status.HTTP_422_UNPROCESSABLE_CONTENT,
}

CaseStaff = Annotated[StaffMember, require_roles(StaffRole.CASEWORKER, StaffRole.MANAGER)]
ReportingStaff = Annotated[StaffMember, require_roles(StaffRole.REPORTING, StaffRole.MANAGER)]
UnitOfWork = UnitOfWorkOf[OutcomesUnitOfWork]


@router.post(
    "/participants/{participant_id}/exit",
    status_code=status.HTTP_201_CREATED,
    response_model=ExitRecorded,
    responses=error_responses(404, 409, 422),
)
async def record_exit(
    participant_id: uuid.UUID,
    body: ExitRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ExitRecorded | JSONResponse:
    settings: OutcomesSettings = request.app.state.settings
    command = handlers.RecordExit(
        participant_id=participant_id,
        destination=body.destination,
        exit_date=body.exit_date,
        today=dt.datetime.now(ZoneInfo(settings.timezone)).date(),
        staff_subject=staff.subject,
        correlation_id=request_correlation_id(),
    )

    async def exit_once() -> ExitRecorded:
        exit_ = await handlers.record_exit(command, uow=uow)
        return ExitRecorded(
            participant_id=participant_id,
            destination=exit_.destination,
            exit_date=exit_.exit_date,
            integrated=exit_.integrated,
        )

    try:
        return await answer_once(
            uow, request=request, staff=staff, key=idempotency_key, body=body, work=exit_once
        )
    except OutcomesRuleViolated as violation:
        raise rule_violation_error(violation, _STATUS_OF_RULE) from violation


@router.get(
    "/participants/{participant_id}/outcome",
    response_model=ParticipantOutcome,
    responses=error_responses(404, 422),
)
async def view_outcome(participant_id: uuid.UUID, staff: CaseStaff, uow: UnitOfWork) -> ParticipantOutcome:
    try:
        record = await handlers.view_outcome(participant_id, uow)
    except OutcomesRuleViolated as violation:
        raise rule_violation_error(violation, _STATUS_OF_RULE) from violation
    return _outcome_view(record)


@router.get("/reports/integration", response_model=IntegrationReportView, responses=error_responses(422))
async def integration_report(
    staff: ReportingStaff,
    uow: UnitOfWork,
    exited_from: Annotated[PlausibleDate | None, Query(description="First exit date counted.")] = None,
    exited_to: Annotated[PlausibleDate | None, Query(description="Last exit date counted.")] = None,
    funder: Annotated[
        Funder | None,
        Query(description="Only exits of places this funder paid for, alone or co-funded."),
    ] = None,
) -> IntegrationReportView:
    try:
        period = ReportPeriod(exited_from=exited_from, exited_to=exited_to)
    except OutcomesRuleViolated as violation:
        raise rule_violation_error(violation, _STATUS_OF_RULE) from violation
    return _report_view(await handlers.integration_report(period, funder, uow))


def _outcome_view(record: ParticipantRecord) -> ParticipantOutcome:
    stay = record.current
    assert stay is not None  # view_outcome only returns known (enrolled) participants
    enrolment = stay.enrolment
    return ParticipantOutcome(
        participant_id=record.participant_id,
        status=stay.status.value,
        work_area=stay.placement.work_area,
        waitlisted_for=record.waitlisted_for,
        enrolled_on=enrolment.enrolled_on,
        funder=enrolment.funder,
        age_band=enrolment.age_band,
        referral_source=enrolment.referral_source,
        exit=_exit_view(stay.exit),
        stay=stay.number,
        enrolment_id=enrolment.enrolment_id,
        re_entry=enrolment.re_entry,
        funding=[
            FundingShareView(
                funder=share.funder, legal_basis=share.legal_basis, share_percent=share.share_percent
            )
            for share in enrolment.funding
        ],
        earlier_stays=[_earlier_stay_view(earlier) for earlier in record.stays[:-1]],
    )


def _earlier_stay_view(stay: Stay) -> EarlierStayView:
    return EarlierStayView(
        stay=stay.number,
        enrolment_id=stay.enrolment.enrolment_id,
        enrolled_on=stay.enrolment.enrolled_on,
        funder=stay.enrolment.funder,
        exit=_exit_view(stay.exit),
    )


def _exit_view(exit_: Exit | None) -> ExitView | None:
    if exit_ is None:
        return None
    return ExitView(
        destination=exit_.destination,
        exit_date=exit_.exit_date,
        integrated=exit_.integrated,
        work_area=exit_.work_area,
    )


def _report_view(report: IntegrationReport) -> IntegrationReportView:
    return IntegrationReportView(
        period=ReportPeriodView(exited_from=report.period.exited_from, exited_to=report.period.exited_to),
        funder=report.funder,
        exits=report.exits,
        integrations=report.integrations,
        integration_rate=report.integration_rate,
        jobcenter_integrations=report.jobcenter_integrations,
        jobcenter_integration_rate=report.jobcenter_integration_rate,
        by_destination={destination.value: count for destination, count in report.by_destination.items()},
        by_work_area={
            area: RateLineView(
                exits=line.exits, integrations=line.integrations, integration_rate=line.integration_rate
            )
            for area, line in report.by_work_area.items()
        },
        co_funded_exits=report.co_funded_exits,
    )
