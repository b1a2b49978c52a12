"""intake's HTTP API for people: the participant file and list, consents, the responsible
caseworker, erasure, and the audit log.

Personal data answers only for staff allowed to see the person (managers and admins: everyone;
caseworkers: their caseload; intake staff: until enrolment); for anyone else the person does not
exist (404), so not even existence leaks.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from intake.adapters.audit_log import AuditFilter
from intake.adapters.staff_lists import InvalidCursor, Page, ParticipantFilter, SortBy
from intake.application import person_care, staff_views
from intake.domain.consent import Consent, withdrew_data_processing
from intake.domain.errors import IntakeRuleViolated, ParticipantDataErased
from intake.entrypoints.http_context import (
    Admins,
    CaseStaff,
    Managers,
    UnitOfWork,
    answer_idempotently,
    api_error,
    context_of,
    referral_list_item,
    viewer_of,
)
from intake.entrypoints.http_schemas import (
    AuditEntryView,
    AuditPage,
    CaseworkerRequest,
    CaseworkerView,
    ConsentRequest,
    ConsentView,
    ConsentWithdrawalRequest,
    ErasureDone,
    ParticipantListItem,
    ParticipantPage,
    ParticipantView,
    PersonView,
    StaffSubject,
)
from intake.entrypoints.referral_routes import Cursor, NameQuery, Order
from werkstattnetz_shared.events.vocabulary import Funder
from werkstattnetz_shared.web.dependencies import PageLimit
from werkstattnetz_shared.web.errors import ApiError, ErrorResponse, error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey
from werkstattnetz_shared.web.request_models import Moment, PlausibleDate

router = APIRouter(prefix="/v1", tags=["participants"], responses=error_responses(401, 403, 503))


@router.get("/participants", response_model=ParticipantPage, responses=error_responses(422))
async def list_participants(
    staff: CaseStaff,
    uow: UnitOfWork,
    active: Annotated[bool | None, Query(description="true: still in the programme; false: left")] = None,
    funder: Funder | None = None,
    caseworker: Annotated[StaffSubject | None, Query()] = None,
    enrolled_from: Annotated[PlausibleDate | None, Query()] = None,
    enrolled_to: Annotated[PlausibleDate | None, Query()] = None,
    name: NameQuery = None,
    sort: SortBy = SortBy.DATE,
    order: Order = Order.DESC,
    limit: PageLimit = 50,
    cursor: Cursor = None,
) -> ParticipantPage:
    """One row per stay in the programme (a re-entered person once per stay), newest enrolment
    first by default; only people the caller may see. Every person listed is audited as seen."""
    where = ParticipantFilter(
        active=active,
        funder=funder,
        caseworker=caseworker,
        enrolled_from=enrolled_from,
        enrolled_to=enrolled_to,
        name=name,
    )
    page = Page(sort=sort, descending=order is Order.DESC, limit=limit, cursor=cursor)
    try:
        found = await staff_views.list_participants(where, page, viewer_of(staff), uow)
    except InvalidCursor as error:
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT, "cursor_from_this_list", str(error), "cursor"
        ) from error
    return ParticipantPage(
        items=[
            ParticipantListItem(
                person=PersonView(
                    participant_id=item.person.participant_id,
                    first_name=item.person.first_name,
                    last_name=item.person.last_name,
                    birth_date=item.person.birth_date,
                    caseworker=item.person.caseworker,
                    erased=item.person.erased,
                ),
                referral_id=item.referral_id,
                enrolled_on=item.enrolled_on,
                main_funder=item.main_funder,
                ended_on=item.ended_on,
            )
            for item in found.items
        ],
        next_cursor=found.next_cursor,
    )


@router.get(
    "/participants/{participant_id}",
    response_model=ParticipantView,
    responses={
        **error_responses(404, 422),
        410: {"model": ErrorResponse, "description": "The person's personal data was erased."},
    },
)
async def view_participant(participant_id: uuid.UUID, staff: CaseStaff, uow: UnitOfWork) -> ParticipantView:
    """The person's file: personal data, consents (withdrawals visible), every referral."""
    try:
        found = await staff_views.view_participant(participant_id, viewer_of(staff), uow)
    except ParticipantDataErased as erased:
        raise ApiError(status.HTTP_410_GONE, erased.rule, erased.message) from erased
    except IntakeRuleViolated as violation:
        raise api_error(violation) from violation
    person, details = found.person, found.person.known_details
    return ParticipantView(
        participant_id=person.participant_id,
        first_name=details.first_name,
        last_name=details.last_name,
        birth_date=details.birth_date,
        email=details.email,
        phone=details.phone,
        jobcenter_customer_number=details.jobcenter_customer_number,
        caseworker=person.caseworker,
        erased_on=person.erased_on,
        data_processing_consent_withdrawn=withdrew_data_processing(found.consents),
        consents=[_consent_view(consent) for consent in found.consents],
        referrals=[referral_list_item(person, referral) for referral in found.referrals],
    )


@router.post(
    "/participants/{participant_id}/consents",
    status_code=status.HTTP_201_CREATED,
    response_model=ConsentView,
    responses=error_responses(404, 409, 422),
)
async def record_consent(
    participant_id: uuid.UUID,
    body: ConsentRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ConsentView | JSONResponse:
    """A consent the person gave — for a minor below the guardian age, their guardian's too."""
    context = context_of(request, staff)
    command = person_care.RecordConsent(
        participant_id=participant_id,
        purpose=body.purpose,
        given_on=body.given_on or context.today,
        given_by=body.given_by,
        guardian_name=body.guardian_name,
    )

    async def record() -> ConsentView:
        return _consent_view(await person_care.record_consent(command, context, uow=uow))

    return await answer_idempotently(
        uow, request, staff, idempotency_key, body, record, status.HTTP_201_CREATED
    )


@router.post(
    "/participants/{participant_id}/consents/{consent_id}/withdraw",
    response_model=ConsentView,
    responses=error_responses(404, 409, 422),
)
async def withdraw_consent(
    participant_id: uuid.UUID,
    consent_id: uuid.UUID,
    body: ConsentWithdrawalRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ConsentView | JSONResponse:
    """Publishes `ConsentWithdrawn`. Without consent to data processing the person cannot be
    enrolled (again); staff see the withdrawal on the person's file."""
    context = context_of(request, staff)
    on = body.withdrawn_on or context.today

    async def withdraw() -> ConsentView:
        return _consent_view(
            await person_care.withdraw_consent(participant_id, consent_id, on, context, uow=uow)
        )

    return await answer_idempotently(uow, request, staff, idempotency_key, body, withdraw, status.HTTP_200_OK)


@router.put(
    "/participants/{participant_id}/caseworker",
    response_model=CaseworkerView,
    responses=error_responses(404, 409, 422),
)
async def assign_caseworker(
    participant_id: uuid.UUID, body: CaseworkerRequest, request: Request, staff: Managers, uow: UnitOfWork
) -> CaseworkerView | JSONResponse:
    """Managers make a caseworker responsible (publishes `CaseworkerAssigned` when it changes)."""
    context = context_of(request, staff)

    async def assign() -> CaseworkerView:
        person = await person_care.assign_caseworker(participant_id, body.caseworker, context, uow=uow)
        return CaseworkerView(participant_id=person.participant_id, caseworker=body.caseworker)

    # PUT is idempotent by itself: the same caseworker again changes nothing.
    return await answer_idempotently(uow, request, staff, None, body, assign, status.HTTP_200_OK)


@router.post(
    "/participants/{participant_id}/erasure",
    response_model=ErasureDone,
    responses=error_responses(404, 409, 422),
)
async def erase_personal_data(
    participant_id: uuid.UUID,
    request: Request,
    staff: Admins,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> ErasureDone | JSONResponse:
    """GDPR Art. 17: deletes names, birth date, contact data, notes and guardians' names for good
    (the audit log keeps only the participant id) and publishes `ParticipantDataErased`; counts and
    reports stay the same. A second erasure is a 409."""
    context = context_of(request, staff)

    async def erase() -> ErasureDone:
        person = await person_care.erase_personal_data(participant_id, context, uow=uow)
        assert person.erased_on is not None
        return ErasureDone(participant_id=participant_id, erased_on=person.erased_on)

    return await answer_idempotently(uow, request, staff, idempotency_key, None, erase, status.HTTP_200_OK)


@router.get("/audit-log", response_model=AuditPage, responses=error_responses(422))
async def audit_log(
    staff: Admins,
    uow: UnitOfWork,
    participant_id: uuid.UUID | None = None,
    staff_subject: Annotated[StaffSubject | None, Query()] = None,
    at_from: Annotated[Moment | None, Query(description="From this moment (inclusive).")] = None,
    at_to: Annotated[Moment | None, Query(description="Until this moment (exclusive).")] = None,
    before: Annotated[
        int | None, Query(ge=1, le=2**62, description="`next_before` of the previous page.")
    ] = None,
    limit: PageLimit = 50,
) -> AuditPage:
    """Who read or changed which person's data, newest first (admins only)."""
    where = AuditFilter(
        participant_id=participant_id, staff_subject=staff_subject, at_from=at_from, at_to=at_to
    )
    entries, more = await staff_views.audit_entries(where, before, limit, uow)
    return AuditPage(
        items=[
            AuditEntryView(
                entry_id=entry.entry_id,
                at=entry.at,
                staff_subject=entry.staff_subject,
                action=entry.action,
                participant_id=entry.participant_id,
                referral_id=entry.referral_id,
            )
            for entry in entries
        ],
        next_before=entries[-1].entry_id if more else None,
    )


def _consent_view(consent: Consent) -> ConsentView:
    return ConsentView(
        consent_id=consent.consent_id,
        purpose=consent.purpose,
        given_on=consent.given_on,
        given_by=consent.given_by,
        guardian_name=consent.guardian_name,
        withdrawn_on=consent.withdrawn_on,
    )
