"""One message to one recipient over one channel because of one event.

A delivery is recorded once per (event, kind, channel, recipient); the mail's Message-ID and the
webhook's Idempotency-Key are derived from exactly that, so a resend of the same delivery is
recognisable as the same message by whoever receives it.

Life of a delivery: `pending` (due at `next_attempt_at`; quiet hours and reminders move that) →
`sent`, or `failed` after a permanent refusal or the last attempt; admins can put a failed one
back to `pending`. `awaiting_recipient`: the responsible caseworker is not known yet (intake's
assignment is on its way); it is addressed when it arrives, or goes to the office address when
waiting is over. `in_digest`: collected into a digest mail (a delivery of its own). `cancelled`:
a reminder whose offer was answered or expired first.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from notifications.domain.errors import DeliveryNotPending, NotificationRuleViolated
from notifications.domain.kinds import DEFAULT_LANGUAGE, Language
from notifications.domain.occasions import TriggerEvent
from notifications.domain.rules import Timing

LAST_ERROR_MAX_LENGTH = 1000
DIGEST_KIND = "digest"
"""The notification kind of a digest mail (not a rule's kind: it bundles those)."""


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    AWAITING_RECIPIENT = "awaiting_recipient"
    IN_DIGEST = "in_digest"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    INBOX = "inbox"  # an inbox item due later (a reminder); immediate ones are written at once


class RecipientKind(StrEnum):
    STAFF = "staff"
    OFFICE = "office"  # the programme office's address: nobody else could be found
    WEBHOOK = "webhook"


class DeliveryMustHaveFailed(NotificationRuleViolated):
    """Only a failed delivery is retried by hand; a pending one retries by itself."""

    rule = "delivery_must_have_failed"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff between attempts, `max_attempts` in all."""

    max_attempts: int
    first_backoff: dt.timedelta
    max_backoff: dt.timedelta

    def backoff_after(self, attempts: int) -> dt.timedelta:
        doublings = min(max(attempts - 1, 0), 30)  # capped: timedelta overflows long before 2**30 s
        return min(self.first_backoff * (1 << doublings), self.max_backoff)


def message_id_for(trigger_event_id: uuid.UUID, sender: str, kind: str = "", recipient_key: str = "") -> str:
    """The same event, kind and recipient always give the same Message-ID (RFC 5322 `<left@right>`).
    Without kind and recipient (deliveries from before recipients were told apart) the old form."""
    _, at, sender_domain = sender.rpartition("@")
    if not (at and sender_domain):
        sender_domain = "werkstattnetz.local"
    if not recipient_key:
        return f"<notification.{trigger_event_id}@{sender_domain}>"
    tag = uuid.uuid5(trigger_event_id, f"{kind}/{recipient_key}")
    return f"<notification.{tag}@{sender_domain}>"


@dataclass
class Delivery:
    delivery_id: uuid.UUID
    trigger: TriggerEvent
    participant_id: uuid.UUID
    kind: str
    """A `NotificationKind` value, or `digest`."""
    channel: Channel
    recipient_kind: RecipientKind
    recipient_key: str
    """What makes it one per recipient: `staff:<subject>`, `office`, `webhook:<id>`, `awaiting`."""
    recipient: str
    """Where it goes: an e-mail address or a webhook URL (empty while awaiting the recipient)."""
    sender: str
    subject: str
    body: str
    """Plain text of a mail; the JSON body of a webhook call."""
    message_id: str
    """Mail: the Message-ID; webhook: the Idempotency-Key."""
    status: DeliveryStatus
    attempts: int
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    html_body: str | None = None
    recipient_subject: str | None = None
    subscription_id: uuid.UUID | None = None
    language: Language = DEFAULT_LANGUAGE
    facts: Mapping[str, Any] = field(default_factory=dict)
    timing: Timing = Timing.IMMEDIATE
    offer_id: uuid.UUID | None = None
    digest_id: uuid.UUID | None = None
    sent_at: dt.datetime | None = None
    failed_at: dt.datetime | None = None
    last_error: str | None = None
    permanent_failure: bool = False
    retried_by: str | None = None
    urgent: bool = False
    """Ignores quiet hours (kept for a delivery still awaiting its recipient)."""
    not_before: dt.datetime | None = None
    """The occasion's own moment (a reminder's), kept for a delivery awaiting its recipient."""

    def record_sent(self, now: dt.datetime) -> None:
        self._must_be_pending()
        self.attempts += 1
        self.status = DeliveryStatus.SENT
        self.sent_at = now

    def record_failed_attempt(
        self, error: str, now: dt.datetime, policy: RetryPolicy, *, permanent: bool = False
    ) -> None:
        """Schedule the next attempt, or give up: at once when refused for good, else once the
        policy's attempts are used up."""
        self._must_be_pending()
        self.attempts += 1
        self.last_error = error[:LAST_ERROR_MAX_LENGTH]
        if permanent or self.attempts >= policy.max_attempts:
            self.status = DeliveryStatus.FAILED
            self.failed_at = now
            self.permanent_failure = permanent
        else:
            self.next_attempt_at = now + policy.backoff_after(self.attempts)

    def retry_by_admin(self, admin: str, now: dt.datetime) -> None:
        """A failed delivery gets one more attempt now (each retry by hand is one attempt; the
        count goes on, so the log shows everything that was tried)."""
        if self.status is not DeliveryStatus.FAILED:
            raise DeliveryMustHaveFailed(
                f"delivery {self.delivery_id} is {self.status.value}; only a failed one can be retried"
            )
        self.status = DeliveryStatus.PENDING
        self.next_attempt_at = now
        self.failed_at = None
        self.permanent_failure = False
        self.retried_by = admin

    def _must_be_pending(self) -> None:
        if self.status is not DeliveryStatus.PENDING:
            raise DeliveryNotPending(f"delivery {self.delivery_id} is already {self.status.value}")
