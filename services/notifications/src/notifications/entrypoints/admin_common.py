"""What the admin routes share: who may call them, how domain rules answer, one transaction each."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Path, status

from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.directory import StaffMemberMustBeKnown
from notifications.domain.errors import NotificationRuleViolated
from notifications.domain.rules import Audience, NotificationRule, RuleMustBeComplete, RuleMustBeKnown
from notifications.domain.webhooks import WebhookMustBeKnown, WebhookNameMustBeUnique
from notifications.entrypoints.admin_schemas import (
    MAX_SUBJECT_LENGTH,
    RuleRequest,
)
from werkstattnetz_shared.web.auth import StaffMember as Caller
from werkstattnetz_shared.web.auth import StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, rule_violation_error

UnitOfWork = UnitOfWorkOf[NotificationsUnitOfWork]
Admins = Annotated[Caller, require_roles()]  # admin passes every check, nobody else this one
Readers = Annotated[Caller, require_roles(StaffRole.MANAGER)]
# Every staff role (a token with only roles we do not know is refused with 403, as on the inbox).
AnyStaff = Annotated[Caller, require_roles(*StaffRole)]

# The first rule that matches decides: the specific ones before their base class.
STATUS_OF_RULE: dict[type[NotificationRuleViolated], int] = {
    StaffMemberMustBeKnown: status.HTTP_404_NOT_FOUND,
    RuleMustBeKnown: status.HTTP_404_NOT_FOUND,
    WebhookMustBeKnown: status.HTTP_404_NOT_FOUND,
    WebhookNameMustBeUnique: status.HTTP_409_CONFLICT,
    # An address missing for mail, empty quiet hours, a rule without its target: bad input.
    NotificationRuleViolated: status.HTTP_422_UNPROCESSABLE_CONTENT,
}

SubjectPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=MAX_SUBJECT_LENGTH,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="The staff member's token subject (`sub`).",
    ),
]
RuleId = Annotated[uuid.UUID, Path(description="The rule's id.")]
SubscriptionId = Annotated[uuid.UUID, Path(description="The webhook subscription's id.")]

Answer = TypeVar("Answer")
Built = TypeVar("Built")


def rule_of(body: RuleRequest, rule_id: uuid.UUID) -> NotificationRule:
    try:
        return NotificationRule(
            rule_id=rule_id,
            kind=body.kind,
            audience=body.audience,
            role=body.role.value if body.role else None,
            subject=body.subject,
            channel=body.channel,
            timing=body.timing,
            urgent=body.urgent,
        )
    except RuleMustBeComplete as violation:
        # The domain names the rule; which input is missing (or one too many) is the request's field.
        wrong_role = (body.audience is Audience.ROLE) != (body.role is not None)
        field = "role" if wrong_role else "subject"
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT, violation.rule, violation.message, field
        ) from violation


def build(build: Callable[[], Built]) -> Built:
    """A domain value from request fields; the rules it checks on creation answer as errors."""
    try:
        return build()
    except NotificationRuleViolated as violation:
        raise api_error(violation) from violation


async def answer(uow: NotificationsUnitOfWork, work: Callable[[], Awaitable[Answer]]) -> Answer:
    """Run a changing use case in one transaction (PUT, PATCH and DELETE are idempotent by themselves)."""
    try:
        async with uow:
            result = await work()
            await uow.commit()
        return result
    except NotificationRuleViolated as violation:
        raise api_error(violation) from violation


def api_error(violation: NotificationRuleViolated) -> ApiError:
    return rule_violation_error(violation, STATUS_OF_RULE)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
