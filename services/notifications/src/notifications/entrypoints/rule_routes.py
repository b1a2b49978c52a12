"""The notification rules as data: admins change them, managers read them (/v1/rules)."""

from __future__ import annotations

import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from notifications.application import administration
from notifications.domain.kinds import NotificationKind
from notifications.domain.rules import RuleMustBeKnown
from notifications.entrypoints.admin_common import (
    STATUS_OF_RULE,
    Admins,
    Readers,
    RuleId,
    UnitOfWork,
    answer,
    api_error,
    rule_of,
)
from notifications.entrypoints.admin_schemas import (
    RuleRequest,
    RuleView,
    rule_view,
)
from werkstattnetz_shared.web.errors import error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey, answer_once

router = APIRouter(prefix="/v1", responses=error_responses(401, 403, 503))

# -- notification rules


@router.get(
    "/rules", response_model=list[RuleView], tags=["notification rules"], responses=error_responses(422)
)
async def list_rules(
    staff: Readers,
    uow: UnitOfWork,
    kind: Annotated[NotificationKind | None, Query(description="Only the rules of this kind")] = None,
) -> list[RuleView]:
    """Every rule, by kind (a short list: not paged)."""
    async with uow:
        rules = await (uow.rules.for_kind(kind) if kind else uow.rules.all())
    return [rule_view(rule) for rule in rules]


@router.post(
    "/rules",
    status_code=status.HTTP_201_CREATED,
    response_model=RuleView,
    tags=["notification rules"],
    responses=error_responses(409, 422),
)
async def create_rule(
    body: RuleRequest,
    request: Request,
    response: Response,
    staff: Admins,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> RuleView | JSONResponse:
    """A new rule; `Location` names it."""
    rule = rule_of(body, uuid.uuid4())

    async def create() -> RuleView:
        return rule_view(await administration.create_rule(rule, uow=uow))

    answered = await answer_once(
        uow,
        request=request,
        staff=staff,
        key=idempotency_key,
        body=body,
        work=create,
        status_of_rule=STATUS_OF_RULE,
    )
    if isinstance(answered, JSONResponse):  # a replayed answer: the rule created the first time
        answered.headers["Location"] = f"/v1/rules/{json.loads(bytes(answered.body))['rule_id']}"
    else:
        response.headers["Location"] = f"/v1/rules/{answered.rule_id}"
    return answered


@router.get(
    "/rules/{rule_id}",
    response_model=RuleView,
    tags=["notification rules"],
    responses=error_responses(404, 422),
)
async def get_rule(rule_id: RuleId, staff: Readers, uow: UnitOfWork) -> RuleView:
    async with uow:
        rule = await uow.rules.get(rule_id)
    if rule is None:
        raise api_error(RuleMustBeKnown(f"there is no notification rule {rule_id}"))
    return rule_view(rule)


@router.put(
    "/rules/{rule_id}",
    response_model=RuleView,
    tags=["notification rules"],
    responses=error_responses(404, 422),
)
async def replace_rule(rule_id: RuleId, body: RuleRequest, staff: Admins, uow: UnitOfWork) -> RuleView:
    rule = rule_of(body, rule_id)
    return rule_view(await answer(uow, lambda: administration.replace_rule(rule, uow=uow)))


@router.delete(
    "/rules/{rule_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["notification rules"],
    responses=error_responses(404, 422),
)
async def delete_rule(rule_id: RuleId, staff: Admins, uow: UnitOfWork) -> None:
    await answer(uow, lambda: administration.delete_rule(rule_id, uow=uow))
