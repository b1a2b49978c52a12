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
from outcomes.domain.destinations import jobcenter_category
from outcomes.domain.errors import (
    ExitDateNotBeforeEnrolment,
    ExitDateNotInFuture,
    ExitOnlyOnce,
    ExitReasonMustFitDestination,
    NextStepMustFitDestination,
    NextStepOnlyForIntegrations,
    OutcomesRuleViolated,
    ParticipantMustBeKnown,
    PeriodMustRunForward,
)
from outcomes.domain.follow_up import FollowUp
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.report import IntegrationReport, ReportPeriod
from outcomes.domain.stay import ExitDetails, Stay
from outcomes.entrypoints.follow_up_views import follow_up_status_view, retention_view
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
    NextStepOnlyForIntegrations: status.HTTP_422_UNPROCESSABLE_CONTENT,
    NextStepMustFitDestination: status.HTTP_422_UNPROCESSABLE_CONTENT,
    ExitReasonMustFitDestination: status.HTTP_422_UNPROCESSABLE_CONTENT,
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
    """Records the latest stay's exit (`ParticipantExited`, and `IntegrationAchieved` for an
    integration) and schedules its six-month follow-up in the same transaction."""
    settings: OutcomesSettings = request.app.state.settings
    now = dt.datetime.now(dt.UTC)
    command = handlers.RecordExit(
        participant_id=participant_id,
        destination=body.destination,
        exit_date=body.exit_date,
        today=now.astimezone(ZoneInfo(settings.timezone)).date(),
        staff_subject=staff.subject,
        correlation_id=request_correlation_id(),
        details=ExitDetails(reason=body.reason, next_step=body.next_step),
        now=now,
        schedule=settings.follow_up_schedule,
    )

    async def exit_once() -> ExitRecorded:
        exit_, follow_up = await handlers.record_exit(command, uow=uow)
        return ExitRecorded(
            participant_id=participant_id,
            destination=exit_.destination,
            exit_date=exit_.exit_date,
            integrated=exit_.integrated,
            jobcenter_integrated=exit_.counts_for_jobcenter,
            jobcenter_category=jobcenter_category(exit_.destination),
            reason=exit_.details.reason,
            next_step=exit_.details.next_step,
            follow_up=follow_up_status_view(follow_up, now, settings.follow_up_schedule.grace),
        )

    return await answer_once(
        uow,
        request=request,
        staff=staff,
        key=idempotency_key,
        body=body,
        work=exit_once,
        status_of_rule=_STATUS_OF_RULE,
    )


@router.get(
    "/participants/{participant_id}/outcome",
    response_model=ParticipantOutcome,
    responses=error_responses(404, 422),
)
async def view_outcome(
    participant_id: uuid.UUID, request: Request, staff: CaseStaff, uow: UnitOfWork
) -> ParticipantOutcome:
    settings: OutcomesSettings = request.app.state.settings
    try:
        record, follow_ups = await handlers.view_outcome(participant_id, uow)
    except OutcomesRuleViolated as violation:
        raise rule_violation_error(violation, _STATUS_OF_RULE) from violation
    return _outcome_view(record, _FollowUps(follow_ups, settings))


@router.get("/reports/integration", response_model=IntegrationReportView, responses=error_responses(422))
async def integration_report(
    request: Request,
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
    settings: OutcomesSettings = request.app.state.settings
    report = await handlers.integration_report(
        period, funder, uow, now=dt.datetime.now(dt.UTC), grace=settings.follow_up_schedule.grace
    )
    return _report_view(report)


class _FollowUps:
    """The participant's follow-ups by stay, shown with their exits as of now."""

    def __init__(self, follow_ups: list[FollowUp], settings: OutcomesSettings) -> None:
        self._by_stay = {follow_up.stay: follow_up for follow_up in follow_ups}
        self._now = dt.datetime.now(dt.UTC)
        self._grace = settings.follow_up_schedule.grace

    def exit_view(self, stay: Stay) -> ExitView | None:
        exit_ = stay.exit
        if exit_ is None:
            return None
        follow_up = self._by_stay.get(stay.number)
        return ExitView(
            destination=exit_.destination,
            exit_date=exit_.exit_date,
            integrated=exit_.integrated,
            jobcenter_integrated=exit_.counts_for_jobcenter,
            jobcenter_category=jobcenter_category(exit_.destination),
            reason=exit_.details.reason,
            next_step=exit_.details.next_step,
            work_area=exit_.work_area,
            follow_up=follow_up_status_view(follow_up, self._now, self._grace) if follow_up else None,
        )


def _outcome_view(record: ParticipantRecord, follow_ups: _FollowUps) -> ParticipantOutcome:
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
        exit=follow_ups.exit_view(stay),
        stay=stay.number,
        enrolment_id=enrolment.enrolment_id,
        re_entry=enrolment.re_entry,
        funding=[
            FundingShareView(
                funder=share.funder, legal_basis=share.legal_basis, share_percent=share.share_percent
            )
            for share in enrolment.funding
        ],
        earlier_stays=[_earlier_stay_view(earlier, follow_ups) for earlier in record.stays[:-1]],
    )


def _earlier_stay_view(stay: Stay, follow_ups: _FollowUps) -> EarlierStayView:
    return EarlierStayView(
        stay=stay.number,
        enrolment_id=stay.enrolment.enrolment_id,
        enrolled_on=stay.enrolment.enrolled_on,
        funder=stay.enrolment.funder,
        exit=follow_ups.exit_view(stay),
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
        by_jobcenter_category={category.value: n for category, n in report.by_jobcenter_category.items()},
        by_reason=report.by_reason,
        by_next_step=report.by_next_step,
        follow_ups=retention_view(report.follow_ups),
    )
