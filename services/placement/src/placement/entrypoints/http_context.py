"""What placement's changing routes share: who may do what, the programme's today, the request's
context for a use case, and which HTTP answer each domain rule gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from placement.application.casework import Context
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain import errors
from placement.settings import PlacementSettings
from werkstattnetz_shared.web.app import request_correlation_id
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, rule_violation_error
from werkstattnetz_shared.web.idempotency import answer_once

UnitOfWork = UnitOfWorkOf[PlacementUnitOfWork]
# Occupancy figures are anonymous counts, so reporting may see them; who waits or sits where is
# case work, for caseworkers and managers; the catalogue is the admins'.
OccupancyReaders = Annotated[
    StaffMember, require_roles(StaffRole.CASEWORKER, StaffRole.MANAGER, StaffRole.REPORTING)
]
CaseStaff = Annotated[StaffMember, require_roles(StaffRole.CASEWORKER, StaffRole.MANAGER)]
Admins = Annotated[StaffMember, require_roles()]  # admin passes every check, nobody else this one

# The first rule that matches decides: the specific ones before their base class.
STATUS_OF_RULE: dict[type[errors.PlacementRuleViolated], int] = {
    errors.ParticipantMustBeKnown: status.HTTP_404_NOT_FOUND,
    errors.WorkshopMustBeKnown: status.HTTP_404_NOT_FOUND,
    errors.OfferMustBeKnown: status.HTTP_404_NOT_FOUND,
    errors.TransferMustChangeWorkshop: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.EndReasonMustBeGivenByHand: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.EndDateMustFitPlacement: status.HTTP_422_UNPROCESSABLE_CONTENT,
    errors.UrgencyNeedsReason: status.HTTP_422_UNPROCESSABLE_CONTENT,
    # Seat taken, already placed, not placed, stay ended, offer answered or expired, an offer to
    # answer first, a name taken, seats below the occupancy: conflicts with the current state.
    errors.PlacementRuleViolated: status.HTTP_409_CONFLICT,
}


def api_error(violation: errors.PlacementRuleViolated) -> ApiError:
    return rule_violation_error(violation, STATUS_OF_RULE)


Answer = TypeVar("Answer", bound=BaseModel)


async def answer_idempotently(
    uow: PlacementUnitOfWork,
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


async def answer(uow: PlacementUnitOfWork, work: Callable[[], Awaitable[Answer]]) -> Answer:
    """Run a changing use case without an Idempotency-Key (PUT and PATCH are idempotent by themselves)."""
    try:
        async with uow:
            result = await work()
            await uow.commit()
        return result
    except errors.PlacementRuleViolated as violation:
        raise api_error(violation) from violation


def context_of(request: Request) -> Context:
    settings: PlacementSettings = request.app.state.settings
    return Context(
        today=dt.datetime.now(ZoneInfo(settings.timezone)).date(),
        now=dt.datetime.now(dt.UTC),
        correlation_id=request_correlation_id(),
        policy=settings.placement_policy,
    )
