"""Admins' use cases on who is told what: the staff directory, the notification rules and the
webhook subscriptions; and each staff member's own settings. Each runs inside the caller's unit of
work (keyword-only `uow`) and does not commit, so a refused change leaves nothing half-written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from dataclasses import dataclass
from enum import Enum
from typing import Any

from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.directory import PreferredChannel, QuietHours, StaffMember, StaffMemberMustBeKnown
from notifications.domain.kinds import Language, NotificationKind
from notifications.domain.rules import NotificationRule, RuleMustBeKnown
from notifications.domain.webhook_signature import generate_secret
from notifications.domain.webhooks import WebhookMustBeKnown, WebhookSubscription


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP
"""A field of a change that stays as it is (unlike None, which clears it)."""


@dataclass(frozen=True)
class OwnSettingsChange:
    """What staff members may change about themselves; roles and being active are the admins'."""

    email: str | _Keep | None = KEEP
    channel: PreferredChannel | _Keep = KEEP
    language: Language | _Keep = KEEP
    quiet_hours: QuietHours | _Keep | None = KEEP


@dataclass(frozen=True)
class NewWebhook:
    name: str
    url: str
    kinds: frozenset[NotificationKind]


@dataclass(frozen=True)
class WebhookChange:
    url: str | _Keep = KEEP
    kinds: frozenset[NotificationKind] | _Keep = KEEP
    active: bool | _Keep = KEEP


# -- the staff directory


async def put_staff_member(member: StaffMember, now: dt.datetime, *, uow: NotificationsUnitOfWork) -> bool:
    """Creates or replaces the directory entry; True when it is new."""
    return await uow.staff.upsert(member, now)


async def change_own_settings(
    subject: str, change: OwnSettingsChange, now: dt.datetime, *, uow: NotificationsUnitOfWork
) -> StaffMember:
    known = await uow.staff.get(subject, for_update=True)
    if known is None:
        raise StaffMemberMustBeKnown(f"the staff directory has no entry for {subject} yet; ask an admin")
    # replace() runs the member's checks again: choosing mail without an address is refused.
    changed = dataclasses.replace(known, **_given(change))
    await uow.staff.upsert(changed, now)
    return changed


async def deactivate_staff_member(subject: str, *, uow: NotificationsUnitOfWork) -> None:
    """Kept in the directory (deliveries name them), but nobody tells them anything any more."""
    if not await uow.staff.deactivate(subject):
        raise StaffMemberMustBeKnown(f"the staff directory has no entry for {subject}")


# -- notification rules


async def create_rule(rule: NotificationRule, *, uow: NotificationsUnitOfWork) -> NotificationRule:
    await uow.rules.add(rule)
    return rule


async def replace_rule(rule: NotificationRule, *, uow: NotificationsUnitOfWork) -> NotificationRule:
    if not await uow.rules.replace(rule):
        raise RuleMustBeKnown(f"there is no notification rule {rule.rule_id}")
    return rule


async def delete_rule(rule_id: uuid.UUID, *, uow: NotificationsUnitOfWork) -> None:
    if not await uow.rules.delete(rule_id):
        raise RuleMustBeKnown(f"there is no notification rule {rule_id}")


# -- webhook subscriptions


async def create_webhook(new: NewWebhook, *, uow: NotificationsUnitOfWork) -> WebhookSubscription:
    """A new, active subscription with a fresh secret (raises `WebhookNameMustBeUnique`)."""
    subscription = WebhookSubscription(
        subscription_id=uuid.uuid4(), name=new.name, url=new.url, secret=generate_secret(), kinds=new.kinds
    )
    await uow.webhooks.add(subscription)
    return subscription


async def change_webhook(
    subscription_id: uuid.UUID, change: WebhookChange, *, uow: NotificationsUnitOfWork
) -> WebhookSubscription:
    known = await _subscription(subscription_id, uow)
    changed = dataclasses.replace(known, **_given(change))
    await uow.webhooks.save(changed)
    return changed


async def rotate_webhook_secret(
    subscription_id: uuid.UUID, *, uow: NotificationsUnitOfWork
) -> WebhookSubscription:
    """A new secret in place of the old one, which signs nothing from now on."""
    known = await _subscription(subscription_id, uow)
    rotated = dataclasses.replace(known, secret=generate_secret())
    await uow.webhooks.save(rotated)
    return rotated


async def delete_webhook(subscription_id: uuid.UUID, *, uow: NotificationsUnitOfWork) -> None:
    if not await uow.webhooks.delete(subscription_id):
        raise WebhookMustBeKnown(f"there is no webhook subscription {subscription_id}")


async def _subscription(subscription_id: uuid.UUID, uow: NotificationsUnitOfWork) -> WebhookSubscription:
    known = await uow.webhooks.get(subscription_id, for_update=True)
    if known is None:
        raise WebhookMustBeKnown(f"there is no webhook subscription {subscription_id}")
    return known


def _given(change: OwnSettingsChange | WebhookChange) -> dict[str, Any]:
    return {
        field.name: getattr(change, field.name)
        for field in dataclasses.fields(change)
        if getattr(change, field.name) is not KEEP
    }
