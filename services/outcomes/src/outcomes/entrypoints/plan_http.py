"""What the case-work routes share: who may do them, today, and the HTTP answer of each rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain import assessment_errors, plan_errors
from outcomes.domain.errors import OutcomesRuleViolated, ParticipantMustBeKnown
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, rule_violation_error
from werkstattnetz_shared.web.idempotency import answer_once

CaseStaff = Annotated[StaffMember, require_roles(StaffRole.CASEWORKER, StaffRole.MANAGER)]
UnitOfWork = UnitOfWorkOf[OutcomesUnitOfWork]
StayNumber = Annotated[
    int | None, Query(ge=1, le=1000, description="Which stay (1 = the first); left out: the latest.")
]

# The first rule that matches decides: the specific ones before their base class.
STATUS_OF_RULE: dict[type[OutcomesRuleViolated], int] = {
    ParticipantMustBeKnown: status.HTTP_404_NOT_FOUND,
    plan_errors.StayMustBeKnown: status.HTTP_404_NOT_FOUND,
    plan_errors.GoalMustBeKnown: status.HTTP_404_NOT_FOUND,
    plan_errors.MilestoneMustBeKnown: status.HTTP_404_NOT_FOUND,
    plan_errors.StayMustBeOpen: status.HTTP_409_CONFLICT,
    plan_errors.CaseWorkTextsErased: status.HTTP_409_CONFLICT,
    plan_errors.GoalMustBeActive: status.HTTP_409_CONFLICT,
    assessment_errors.EntryAndExitAssessedOnce: status.HTTP_409_CONFLICT,
    # Transitions, dates, goals of another plan, competences not configured or scored twice.
    OutcomesRuleViolated: status.HTTP_422_UNPROCESSABLE_CONTENT,
}

Answer = TypeVar("Answer", bound=BaseModel)
Result = TypeVar("Result")


def api_error(violation: OutcomesRuleViolated) -> ApiError:
    return rule_violation_error(violation, STATUS_OF_RULE)


def today_of(request: Request) -> dt.date:
    settings: OutcomesSettings = request.app.state.settings
    return dt.datetime.now(ZoneInfo(settings.timezone)).date()


async def create_once(
    uow: OutcomesUnitOfWork,
    request: Request,
    staff: StaffMember,
    key: str | None,
    body: BaseModel,
    work: Callable[[], Awaitable[Answer]],
) -> Answer | JSONResponse:
    """A creating use case, once per `Idempotency-Key`, rule violations answered as errors."""
    return await answer_once(
        uow, request=request, staff=staff, key=key, body=body, work=work, status_of_rule=STATUS_OF_RULE
    )


async def change(uow: OutcomesUnitOfWork, work: Callable[[], Awaitable[Answer]]) -> Answer:
    """A changing use case without a key: a PATCH sent twice has the effect of one."""
    try:
        async with uow:
            result = await work()
            await uow.commit()
        return result
    except OutcomesRuleViolated as violation:
        raise api_error(violation) from violation


async def read(work: Awaitable[Result]) -> Result:
    try:
        return await work
    except OutcomesRuleViolated as violation:
        raise api_error(violation) from violation
