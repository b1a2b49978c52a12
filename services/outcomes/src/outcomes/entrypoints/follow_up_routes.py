"""Six-month follow-ups over HTTP: staff list them (due, overdue, …), look at one, and record
where the person is. They fall due by themselves (`follow_up_timer`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import JSONResponse

from outcomes.application import follow_up_handling
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain import errors
from outcomes.domain.follow_up import FollowUpStatus
from outcomes.entrypoints.follow_up_schemas import FollowUpPage, FollowUpView, RecordFollowUpRequest
from outcomes.entrypoints.follow_up_views import follow_up_view
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.web.app import request_correlation_id
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import PageLimit, PageOffset
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, error_responses, rule_violation_error
from werkstattnetz_shared.web.idempotency import IdempotencyKey, answer_once

router = APIRouter(prefix="/v1", tags=["follow-ups"], responses=error_responses(401, 403, 503))

CaseStaff = Annotated[StaffMember, require_roles(StaffRole.CASEWORKER, StaffRole.MANAGER)]
UnitOfWork = UnitOfWorkOf[OutcomesUnitOfWork]
FollowUpId = Annotated[uuid.UUID, Path(description="The follow-up's id.")]

# The first rule that matches decides: the specific ones before their base class.
_STATUS_OF_RULE: dict[type[errors.OutcomesRuleViolated], int] = {
    errors.FollowUpMustBeKnown: status.HTTP_404_NOT_FOUND,
    errors.FollowUpMustBeDue: status.HTTP_409_CONFLICT,
    errors.FollowUpRecordedOnce: status.HTTP_409_CONFLICT,
    errors.OutcomesRuleViolated: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


def _api_error(violation: errors.OutcomesRuleViolated) -> ApiError:
    return rule_violation_error(violation, _STATUS_OF_RULE)


@router.get("/follow-ups", response_model=FollowUpPage, responses=error_responses(422))
async def list_follow_ups(
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    follow_up_status: Annotated[
        FollowUpStatus | None,
        Query(
            alias="status",
            description="scheduled (not yet due), due, overdue (due and unrecorded past the grace "
            "period), recorded.",
        ),
    ] = None,
    participant_id: uuid.UUID | None = None,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> FollowUpPage:
    """Follow-ups, the one that fell due first first."""
    settings: OutcomesSettings = request.app.state.settings
    query = follow_up_handling.FollowUpQuery(
        status=follow_up_status,
        participant_id=participant_id,
        now=dt.datetime.now(dt.UTC),
        grace=settings.follow_up_schedule.grace,
        limit=limit,
        offset=offset,
    )
    follow_ups, total = await follow_up_handling.list_follow_ups(query, uow)
    return FollowUpPage(
        items=[follow_up_view(follow_up, query.now, query.grace) for follow_up in follow_ups],
        total=total,
        next_offset=offset + len(follow_ups) if offset + len(follow_ups) < total else None,
    )


@router.get("/follow-ups/{follow_up_id}", response_model=FollowUpView, responses=error_responses(404, 422))
async def get_follow_up(
    follow_up_id: FollowUpId, request: Request, staff: CaseStaff, uow: UnitOfWork
) -> FollowUpView:
    settings: OutcomesSettings = request.app.state.settings
    try:
        follow_up = await follow_up_handling.view_follow_up(follow_up_id, uow)
    except errors.OutcomesRuleViolated as violation:
        raise _api_error(violation) from violation
    return follow_up_view(follow_up, dt.datetime.now(dt.UTC), settings.follow_up_schedule.grace)


@router.post(
    "/follow-ups/{follow_up_id}/record",
    response_model=FollowUpView,
    responses=error_responses(404, 409, 422),
)
async def record_follow_up(
    follow_up_id: FollowUpId,
    body: RecordFollowUpRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> FollowUpView | JSONResponse:
    """Where the person is now (`FollowUpRecorded`), once per follow-up, from the moment it fell due.
    409 `follow_up_must_be_due` before, 409 `follow_up_recorded_once` after it was recorded."""
    settings: OutcomesSettings = request.app.state.settings
    now = dt.datetime.now(dt.UTC)
    grace = settings.follow_up_schedule.grace
    command = follow_up_handling.RecordFollowUp(
        follow_up_id=follow_up_id,
        situation=body.situation,
        recorded_on=body.recorded_on,
        today=now.astimezone(ZoneInfo(settings.timezone)).date(),
        now=now,
        staff_subject=staff.subject,
        correlation_id=request_correlation_id(),
    )

    async def record() -> FollowUpView:
        return follow_up_view(await follow_up_handling.record_follow_up(command, uow=uow), now, grace)

    return await answer_once(
        uow,
        request=request,
        staff=staff,
        key=idempotency_key,
        body=body,
        work=record,
        status_code=status.HTTP_200_OK,
        status_of_rule=_STATUS_OF_RULE,
    )
