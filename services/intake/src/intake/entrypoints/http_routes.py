"""intake's HTTP API. Routes only translate: request → command → use case → response."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from intake.application import handlers
from intake.application.unit_of_work import IntakeUnitOfWork
from intake.domain.errors import (
    ConsentMissing,
    EnrolmentDateBeforeReferral,
    EnrolmentDateInFuture,
    IntakeRuleViolated,
    ParticipantNotFound,
    PersonOutsideAgeRange,
    ReferralAlreadyEnrolled,
    ReferralNotFound,
)
from intake.domain.referral import PersonalDetails, Referral, ReferralStatus
from intake.entrypoints.http_schemas import (
    EnrolmentDone,
    EnrolRequest,
    ParticipantView,
    ReferralPage,
    ReferralReceived,
    ReferralRequest,
    ReferralSummary,
)
from intake.settings import IntakeSettings
from werkstattnetz_shared.web.app import request_correlation_id
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import PageLimit
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import error_responses, rule_violation_error
from werkstattnetz_shared.web.idempotency import IdempotencyKey, answer_once

# Every route needs a token and a role, and reads or writes the database.
router = APIRouter(prefix="/v1", tags=["intake"], responses=error_responses(401, 403, 503))

_STATUS_OF_RULE: dict[type[IntakeRuleViolated], int] = {
    PersonOutsideAgeRange: status.HTTP_422_UNPROCESSABLE_CONTENT,
    ConsentMissing: status.HTTP_422_UNPROCESSABLE_CONTENT,
    EnrolmentDateInFuture: status.HTTP_422_UNPROCESSABLE_CONTENT,
    EnrolmentDateBeforeReferral: status.HTTP_422_UNPROCESSABLE_CONTENT,
    ReferralAlreadyEnrolled: status.HTTP_409_CONFLICT,
    ReferralNotFound: status.HTTP_404_NOT_FOUND,
    ParticipantNotFound: status.HTTP_404_NOT_FOUND,
}

IntakeStaff = Annotated[StaffMember, require_roles(StaffRole.INTAKE, StaffRole.CASEWORKER, StaffRole.MANAGER)]
EnrollingStaff = Annotated[StaffMember, require_roles(StaffRole.INTAKE, StaffRole.MANAGER)]
UnitOfWork = UnitOfWorkOf[IntakeUnitOfWork]


@router.post(
    "/referrals",
    status_code=status.HTTP_201_CREATED,
    response_model=ReferralReceived,
    responses=error_responses(409, 422),
)
async def receive_referral(
    body: ReferralRequest,
    request: Request,
    staff: IntakeStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ReferralReceived | JSONResponse:
    command = handlers.ReceiveReferral(
        person=PersonalDetails(
            first_name=body.first_name,
            last_name=body.last_name,
            birth_date=body.birth_date,
            email=body.email,
            phone=body.phone,
        ),
        referral_source=body.referral_source,
        funder=body.funder,
        preferred_work_areas=tuple(body.preferred_work_areas),
        consent_to_data_processing=body.consent_to_data_processing,
        staff_subject=staff.subject,
    )

    async def receive() -> ReferralReceived:
        referral = await handlers.receive_referral(command, uow=uow)
        return ReferralReceived(referral_id=referral.referral_id, status=referral.status.value)

    return await answer_once(uow, request=request, staff=staff, key=idempotency_key, body=body, work=receive)


@router.get("/referrals", response_model=ReferralPage, responses=error_responses(422))
async def list_referrals(
    staff: IntakeStaff,
    uow: UnitOfWork,
    referral_status: Annotated[ReferralStatus | None, Query(alias="status")] = None,
    after: Annotated[uuid.UUID | None, Query(description="referral_id of the last item seen")] = None,
    limit: PageLimit = 50,
) -> ReferralPage:
    async with uow:
        referrals = await uow.referrals.list_page(status=referral_status, after=after, limit=limit)
    items = [_summary(referral) for referral in referrals]
    return ReferralPage(items=items, next_after=items[-1].referral_id if len(items) == limit else None)


@router.post(
    "/referrals/{referral_id}/consent",
    response_model=ReferralSummary,
    responses=error_responses(404, 409, 422),
)
async def record_consent(
    referral_id: uuid.UUID,
    request: Request,
    staff: IntakeStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ReferralSummary | JSONResponse:
    async def record() -> ReferralSummary:
        return _summary(await handlers.record_consent(referral_id, staff.subject, uow=uow))

    try:
        return await answer_once(
            uow,
            request=request,
            staff=staff,
            key=idempotency_key,
            body=None,
            work=record,
            status_code=status.HTTP_200_OK,
        )
    except IntakeRuleViolated as violation:
        raise rule_violation_error(violation, _STATUS_OF_RULE) from violation


@router.post(
    "/referrals/{referral_id}/enrol",
    status_code=status.HTTP_201_CREATED,
    response_model=EnrolmentDone,
    responses=error_responses(404, 409, 422),
)
async def enrol(
    referral_id: uuid.UUID,
    request: Request,
    staff: EnrollingStaff,
    uow: UnitOfWork,
    body: EnrolRequest | None = None,
    idempotency_key: IdempotencyKey = None,
) -> EnrolmentDone | JSONResponse:
    settings: IntakeSettings = request.app.state.settings
    timezone = ZoneInfo(settings.timezone)
    today = dt.datetime.now(timezone).date()
    command = handlers.EnrolReferral(
        referral_id=referral_id,
        enrolled_on=(body.enrolled_on if body else None) or today,
        today=today,
        timezone=timezone,
        staff_subject=staff.subject,
        correlation_id=request_correlation_id(),
    )

    async def enrol_once() -> EnrolmentDone:
        enrolment = await handlers.enrol_referral(command, uow=uow)
        return EnrolmentDone(participant_id=enrolment.participant_id, status="enrolled")

    try:
        return await answer_once(
            uow, request=request, staff=staff, key=idempotency_key, body=body, work=enrol_once
        )
    except IntakeRuleViolated as violation:
        raise rule_violation_error(violation, _STATUS_OF_RULE) from violation


@router.get(
    "/participants/{participant_id}", response_model=ParticipantView, responses=error_responses(404, 422)
)
async def view_participant(participant_id: uuid.UUID, staff: IntakeStaff, uow: UnitOfWork) -> ParticipantView:
    try:
        referral = await handlers.view_participant(participant_id, staff.subject, uow)
    except IntakeRuleViolated as violation:
        raise rule_violation_error(violation, _STATUS_OF_RULE) from violation
    enrolment = referral.enrolment
    assert enrolment is not None  # found by participant id, so it is enrolled
    return ParticipantView(
        participant_id=enrolment.participant_id,
        referral_id=referral.referral_id,
        status=referral.status.value,
        first_name=referral.person.first_name,
        last_name=referral.person.last_name,
        birth_date=referral.person.birth_date,
        email=referral.person.email,
        phone=referral.person.phone,
        referral_source=referral.referral_source,
        funder=referral.funder,
        preferred_work_areas=list(referral.preferred_work_areas),
        enrolled_on=enrolment.enrolled_on,
        age_band=enrolment.age_band.value,
    )


def _summary(referral: Referral) -> ReferralSummary:
    return ReferralSummary(
        referral_id=referral.referral_id,
        status=referral.status.value,
        referral_source=referral.referral_source,
        funder=referral.funder,
        preferred_work_areas=list(referral.preferred_work_areas),
        consent_to_data_processing=referral.consent_to_data_processing,
        received_at=referral.received_at,
        participant_id=referral.enrolment.participant_id if referral.enrolment else None,
    )
