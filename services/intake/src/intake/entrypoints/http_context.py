"""What every intake route needs besides its body: who acts, the programme's today, the mapping
from domain rules to HTTP answers, and the views of domain objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from intake.application.referral_workflow import Context
from intake.application.unit_of_work import IntakeUnitOfWork
from intake.domain import errors
from intake.domain.access import Viewer
from intake.domain.person import Person
from intake.domain.referral import Enrolment, Referral
from intake.entrypoints.http_schemas import (
    ClosingView,
    EnrolmentView,
    FundingShareView,
    InterviewView,
    PersonView,
    ReferralListItem,
    ReferralView,
)
from intake.settings import IntakeSettings
from werkstattnetz_shared.web.app import request_correlation_id
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, rule_violation_error
from werkstattnetz_shared.web.idempotency import answer_once

UnitOfWork = UnitOfWorkOf[IntakeUnitOfWork]
# Who may do what; which person's data each of them sees is decided per person (domain.access).
IntakeDesk = Annotated[StaffMember, require_roles(StaffRole.INTAKE, StaffRole.MANAGER)]
CaseStaff = Annotated[StaffMember, require_roles(StaffRole.INTAKE, StaffRole.CASEWORKER, StaffRole.MANAGER)]
Managers = Annotated[StaffMember, require_roles(StaffRole.MANAGER)]
Admins = Annotated[StaffMember, require_roles()]  # admin passes every check, nobody else this one

STATUS_OF_RULE: dict[type[errors.IntakeRuleViolated], int] = {
    errors.ReferralNotFound: status.HTTP_404_NOT_FOUND,
    errors.ParticipantNotFound: status.HTTP_404_NOT_FOUND,
    errors.ConsentNotFound: status.HTTP_404_NOT_FOUND,
    errors.ReferralNotInRightState: status.HTTP_409_CONFLICT,
    errors.SamePersonAlreadyKnown: status.HTTP_409_CONFLICT,
    errors.OpenReferralExists: status.HTTP_409_CONFLICT,
    errors.CurrentlyEnrolled: status.HTTP_409_CONFLICT,
    errors.ParticipantDataErased: status.HTTP_409_CONFLICT,
    errors.ConsentAlreadyWithdrawn: status.HTTP_409_CONFLICT,
    errors.RulesNotMet: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.DateInFuture: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.DateBeforeReferral: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.DetailsDoNotMatchLinkedPerson: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.GuardianNameRequired: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.WithdrawalBeforeConsent: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.EnrolmentBeforePreviousExit: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


def api_error(violation: errors.IntakeRuleViolated) -> ApiError:
    return rule_violation_error(violation, STATUS_OF_RULE)


Answer = TypeVar("Answer", bound=BaseModel)


async def answer_idempotently(
    uow: IntakeUnitOfWork,
    request: Request,
    staff: StaffMember,
    key: str | None,
    body: BaseModel | None,
    work: Callable[[], Awaitable[Answer]],
    status_code: int,
) -> Answer | JSONResponse:
    """Run a changing use case once per `Idempotency-Key`, answering rule violations as errors."""
    return await answer_once(
        uow,
        request=request,
        staff=staff,
        key=key,
        body=body,
        work=work,
        status_code=status_code,
        status_of_rule=STATUS_OF_RULE,
    )


def viewer_of(staff: StaffMember) -> Viewer:
    return Viewer(subject=staff.subject, roles=frozenset(staff.roles))


def today_of(request: Request) -> dt.date:
    settings: IntakeSettings = request.app.state.settings
    return dt.datetime.now(ZoneInfo(settings.timezone)).date()


def context_of(request: Request, staff: StaffMember) -> Context:
    return Context(
        viewer=viewer_of(staff),
        today=today_of(request),
        now=dt.datetime.now(dt.UTC),
        correlation_id=request_correlation_id(),
    )


def person_view(person: Person) -> PersonView:
    details = person.details
    return PersonView(
        participant_id=person.participant_id,
        first_name=details.first_name if details else None,
        last_name=details.last_name if details else None,
        birth_date=details.birth_date if details else None,
        caseworker=person.caseworker,
        erased=person.is_erased,
    )


def enrolment_view(enrolment: Enrolment) -> EnrolmentView:
    return EnrolmentView(
        enrolment_id=enrolment.enrolment_id,
        enrolled_on=enrolment.enrolled_on,
        age_band=enrolment.age_band,
        main_funder=enrolment.funding.main_funder,
        funding=[
            FundingShareView(funder=s.funder, legal_basis=s.legal_basis, share_percent=s.share_percent)
            for s in enrolment.funding.shares
        ],
        ended_on=enrolment.ended_on,
    )


def referral_view(person: Person, referral: Referral) -> ReferralView:
    interview, closing = referral.interview, referral.closing
    return ReferralView(
        referral_id=referral.referral_id,
        person=person_view(person),
        status=referral.status,
        referral_source=referral.referrer.source,
        referring_organisation=referral.referrer.organisation,
        contact_person=referral.referrer.contact_person,
        received_on=referral.received_on,
        preferred_work_areas=list(referral.preferred_work_areas),
        re_entry=referral.re_entry,
        interview=InterviewView(
            held_on=interview.held_on,
            held_by=interview.held_by,
            has_completed_vocational_training=interview.findings.has_completed_vocational_training,
            is_employed=interview.findings.is_employed,
            note=interview.note,
        )
        if interview
        else None,
        closing=ClosingView(on=closing.on, reason=closing.reason.value) if closing else None,
        enrolment=enrolment_view(referral.enrolment) if referral.enrolment else None,
    )


def referral_list_item(person: Person, referral: Referral) -> ReferralListItem:
    enrolment = referral.enrolment
    return ReferralListItem(
        referral_id=referral.referral_id,
        person=person_view(person),
        status=referral.status,
        referral_source=referral.referrer.source,
        referring_organisation=referral.referrer.organisation,
        received_on=referral.received_on,
        re_entry=referral.re_entry,
        main_funder=enrolment.funding.main_funder if enrolment else None,
        enrolled_on=enrolment.enrolled_on if enrolment else None,
    )
