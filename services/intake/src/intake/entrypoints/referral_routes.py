"""intake's HTTP API for referrals: receive, look up, interview, reject, withdraw, enrol.

Routes only translate: request → command → use case → response. Creating requests take an
`Idempotency-Key`; their use case runs inside the transaction that also keeps the answer.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from intake.adapters.staff_lists import InvalidCursor, Page, ReferralFilter, SortBy
from intake.application import referral_workflow, staff_views
from intake.domain.eligibility import InterviewFindings
from intake.domain.errors import IntakeRuleViolated
from intake.domain.funding import FundingShare
from intake.domain.person import PersonalDetails
from intake.domain.referral import ReferralStatus, Referrer
from intake.entrypoints.http_context import (
    CaseStaff,
    IntakeDesk,
    UnitOfWork,
    answer_idempotently,
    api_error,
    context_of,
    enrolment_view,
    referral_view,
    viewer_of,
)
from intake.entrypoints.http_schemas import (
    EnrolmentDone,
    EnrolRequest,
    InterviewRequest,
    PersonView,
    ReferralListItem,
    ReferralPage,
    ReferralReceived,
    ReferralRequest,
    ReferralView,
    RejectionRequest,
    SamePersonCandidates,
    StaffSubject,
    WithdrawalRequest,
)
from intake.settings import IntakeSettings
from werkstattnetz_shared.events.vocabulary import Funder, ReferralSource
from werkstattnetz_shared.web.dependencies import PageLimit
from werkstattnetz_shared.web.errors import ApiError, error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey
from werkstattnetz_shared.web.request_models import BirthDate, PlausibleDate

router = APIRouter(prefix="/v1", tags=["referrals"], responses=error_responses(401, 403, 503))

Cursor = Annotated[
    str | None,
    Query(max_length=500, pattern=r"^[A-Za-z0-9_-]+$", description="`next_cursor` of the previous page."),
]
NameQuery = Annotated[
    str | None,
    Query(min_length=2, max_length=100, description="Part of a first or last name; spellings fold."),
]


class Order(StrEnum):
    DESC = "desc"
    ASC = "asc"


@router.post(
    "/referrals",
    status_code=status.HTTP_201_CREATED,
    response_model=ReferralReceived,
    responses=error_responses(404, 409, 422),
)
async def receive_referral(
    body: ReferralRequest,
    request: Request,
    staff: IntakeDesk,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ReferralReceived | JSONResponse:
    """A new referral. The person gets their participant id now. If intake knows the person
    already (same name, spellings folded, and birth date) the answer is a 409
    `same_person_already_known` whose `conflicting_id` is their participant id: send the referral
    again with `same_person_as` set to it (a returning former participant is a new referral of the
    same person)."""
    context = context_of(request, staff)
    command = referral_workflow.ReceiveReferral(
        details=PersonalDetails(
            first_name=body.first_name,
            last_name=body.last_name,
            birth_date=body.birth_date,
            email=body.email,
            phone=body.phone,
            jobcenter_customer_number=body.jobcenter_customer_number,
        ),
        referrer=Referrer(body.referral_source, body.referring_organisation, body.contact_person),
        received_on=body.received_on or context.today,
        preferred_work_areas=tuple(body.preferred_work_areas),
        same_person_as=body.same_person_as,
    )

    async def receive() -> ReferralReceived:
        referral = await referral_workflow.receive_referral(command, context, uow=uow)
        return ReferralReceived(
            referral_id=referral.referral_id,
            participant_id=referral.participant_id,
            status=referral.status,
            re_entry=referral.re_entry,
        )

    return await answer_idempotently(
        uow, request, staff, idempotency_key, body, receive, status.HTTP_201_CREATED
    )


@router.get("/referrals", response_model=ReferralPage, responses=error_responses(422))
async def list_referrals(
    staff: CaseStaff,
    uow: UnitOfWork,
    referral_status: Annotated[ReferralStatus | None, Query(alias="status")] = None,
    referral_source: ReferralSource | None = None,
    funder: Funder | None = None,
    caseworker: Annotated[StaffSubject | None, Query()] = None,
    received_from: Annotated[PlausibleDate | None, Query()] = None,
    received_to: Annotated[PlausibleDate | None, Query()] = None,
    name: NameQuery = None,
    sort: SortBy = SortBy.DATE,
    order: Order = Order.DESC,
    limit: PageLimit = 50,
    cursor: Cursor = None,
) -> ReferralPage:
    """Referrals the caller may see (intake staff: until enrolled; caseworkers: their caseload;
    managers: all), newest first by default. Every person listed is audited as seen."""
    where = ReferralFilter(
        status=referral_status,
        referral_source=referral_source,
        funder=funder,
        caseworker=caseworker,
        received_from=received_from,
        received_to=received_to,
        name=name,
    )
    page = Page(sort=sort, descending=order is Order.DESC, limit=limit, cursor=cursor)
    try:
        found = await staff_views.list_referrals(where, page, viewer_of(staff), uow)
    except InvalidCursor as error:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "cursor_from_this_list", str(error), "cursor"
        ) from error
    return ReferralPage(
        items=[
            ReferralListItem(
                referral_id=item.referral_id,
                person=PersonView(
                    participant_id=item.person.participant_id,
                    first_name=item.person.first_name,
                    last_name=item.person.last_name,
                    birth_date=item.person.birth_date,
                    caseworker=item.person.caseworker,
                    erased=item.person.erased,
                ),
                status=item.status,
                referral_source=item.referral_source,
                referring_organisation=item.referring_organisation,
                received_on=item.received_on,
                re_entry=item.re_entry,
                main_funder=item.main_funder,
                enrolled_on=item.enrolled_on,
            )
            for item in found.items
        ],
        next_cursor=found.next_cursor,
    )


@router.get("/referrals/{referral_id}", response_model=ReferralView, responses=error_responses(404, 422))
async def view_referral(referral_id: uuid.UUID, staff: CaseStaff, uow: UnitOfWork) -> ReferralView:
    try:
        person, referral = await staff_views.view_referral(referral_id, viewer_of(staff), uow)
    except IntakeRuleViolated as violation:
        raise api_error(violation) from violation
    return referral_view(person, referral)


@router.post(
    "/referrals/{referral_id}/interview",
    response_model=ReferralView,
    responses=error_responses(404, 409, 422),
)
async def record_interview(
    referral_id: uuid.UUID,
    body: InterviewRequest,
    request: Request,
    staff: IntakeDesk,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ReferralView | JSONResponse:
    """The intake interview: may be recorded again until the referral is decided."""
    context = context_of(request, staff)
    command = referral_workflow.RecordInterview(
        referral_id=referral_id,
        held_on=body.held_on or context.today,
        held_by=body.held_by or staff.subject,
        findings=InterviewFindings(
            has_completed_vocational_training=body.has_completed_vocational_training,
            is_employed=body.is_employed,
        ),
        note=body.note,
    )

    async def interview() -> ReferralView:
        referral = await referral_workflow.record_interview(command, context, uow=uow)
        person = await uow.people.get(referral.participant_id)
        assert person is not None
        return referral_view(person, referral)

    return await answer_idempotently(
        uow, request, staff, idempotency_key, body, interview, status.HTTP_200_OK
    )


@router.post(
    "/referrals/{referral_id}/reject", response_model=ReferralView, responses=error_responses(404, 409, 422)
)
async def reject_referral(
    referral_id: uuid.UUID,
    body: RejectionRequest,
    request: Request,
    staff: IntakeDesk,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ReferralView | JSONResponse:
    context = context_of(request, staff)

    async def reject() -> ReferralView:
        referral = await referral_workflow.reject_referral(
            referral_id, body.reason, body.rejected_on or context.today, context, uow=uow
        )
        person = await uow.people.get(referral.participant_id)
        assert person is not None
        return referral_view(person, referral)

    return await answer_idempotently(uow, request, staff, idempotency_key, body, reject, status.HTTP_200_OK)


@router.post(
    "/referrals/{referral_id}/withdraw", response_model=ReferralView, responses=error_responses(404, 409, 422)
)
async def withdraw_referral(
    referral_id: uuid.UUID,
    body: WithdrawalRequest,
    request: Request,
    staff: IntakeDesk,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ReferralView | JSONResponse:
    context = context_of(request, staff)

    async def withdraw() -> ReferralView:
        referral = await referral_workflow.withdraw_referral(
            referral_id, body.reason, body.withdrawn_on or context.today, context, uow=uow
        )
        person = await uow.people.get(referral.participant_id)
        assert person is not None
        return referral_view(person, referral)

    return await answer_idempotently(uow, request, staff, idempotency_key, body, withdraw, status.HTTP_200_OK)


@router.post(
    "/referrals/{referral_id}/enrol",
    status_code=status.HTTP_201_CREATED,
    response_model=EnrolmentDone,
    responses=error_responses(404, 409, 422),
)
async def enrol(
    referral_id: uuid.UUID,
    body: EnrolRequest,
    request: Request,
    staff: IntakeDesk,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> EnrolmentDone | JSONResponse:
    """Enrol an interviewed referral. Every eligibility rule is checked (age on `enrolled_on`, no
    completed vocational training, no work, consent to data processing, a guardian's consent
    below the guardian age); a refusal is a 422 whose `details` name each rule that failed."""
    context = context_of(request, staff)
    settings: IntakeSettings = request.app.state.settings
    command = referral_workflow.EnrolReferral(
        referral_id=referral_id,
        enrolled_on=body.enrolled_on or context.today,
        funding=[FundingShare(s.funder, s.legal_basis, s.share_percent) for s in body.funding],
        caseworker=body.caseworker,
    )

    async def enrol_once() -> EnrolmentDone:
        referral, enrolment = await referral_workflow.enrol_referral(
            command, context, settings.eligibility_rules, uow=uow
        )
        return EnrolmentDone(
            referral_id=referral.referral_id,
            participant_id=referral.participant_id,
            status=referral.status,
            enrolment=enrolment_view(enrolment),
        )

    return await answer_idempotently(
        uow, request, staff, idempotency_key, body, enrol_once, status.HTTP_201_CREATED
    )


@router.get("/people/same-person", response_model=SamePersonCandidates, responses=error_responses(422))
async def same_person_candidates(
    staff: IntakeDesk,
    uow: UnitOfWork,
    first_name: Annotated[str, Query(min_length=1, max_length=100)],
    last_name: Annotated[str, Query(min_length=1, max_length=100)],
    birth_date: Annotated[BirthDate, Query()],
) -> SamePersonCandidates:
    """Check before creating a referral: the people intake would take for this one."""
    found = await staff_views.same_person_candidates(first_name, last_name, birth_date, viewer_of(staff), uow)
    return SamePersonCandidates(
        items=[
            PersonView(
                participant_id=person.participant_id,
                first_name=person.first_name,
                last_name=person.last_name,
                birth_date=person.birth_date,
                caseworker=person.caseworker,
                erased=person.erased,
            )
            for person in found
        ]
    )
