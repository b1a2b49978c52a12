"""Partner systems subscribed to notifications by webhook, each with its own signing secret."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from notifications.domain.errors import NotificationRuleViolated
from notifications.domain.kinds import NotificationKind


class WebhookMustBeKnown(NotificationRuleViolated):
    rule = "webhook_must_be_known"
    field = "subscription_id"


class WebhookNameMustBeUnique(NotificationRuleViolated):
    """Partners are told apart by name in the admin screens and in the delivery list."""

    rule = "webhook_name_must_be_unique"
    field = "name"

    def __init__(self, message: str, existing: uuid.UUID | None = None) -> None:
        super().__init__(message)
        self.conflicting_id = existing


@dataclass(frozen=True)
class WebhookSubscription:
    subscription_id: uuid.UUID
    name: str
    url: str
    secret: str
    """HMAC-SHA256 key of the signature header; shown once, when created or rotated."""
    kinds: frozenset[NotificationKind]
    active: bool = True

    def wants(self, kind: NotificationKind) -> bool:
        return self.active and kind in self.kinds
