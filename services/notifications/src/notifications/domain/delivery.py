"""One mail to be sent because of one event: pending until sent, or failed after bounded attempts.

A delivery is recorded once per trigger event; its Message-ID is derived from the trigger event
id, so even a resend of the same delivery is recognisable as the same mail by the recipient.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from notifications.domain.errors import DeliveryNotPending
from notifications.domain.notification import Notification, NotificationKind
from notifications.domain.triggers import TriggerEvent

LAST_ERROR_MAX_LENGTH = 1000


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff between SMTP attempts, `max_attempts` in all."""

    max_attempts: int
    first_backoff: dt.timedelta
    max_backoff: dt.timedelta

    def backoff_after(self, attempts: int) -> dt.timedelta:
        doublings = min(max(attempts - 1, 0), 30)  # capped: timedelta overflows long before 2**30 s
        return min(self.first_backoff * (1 << doublings), self.max_backoff)


def message_id_for(trigger_event_id: uuid.UUID, sender: str) -> str:
    """The same trigger event always gives the same Message-ID (RFC 5322 `<left@right>`)."""
    _, at, sender_domain = sender.rpartition("@")
    if not (at and sender_domain):
        sender_domain = "werkstattnetz.local"
    return f"<notification.{trigger_event_id}@{sender_domain}>"


@dataclass
class Delivery:
    delivery_id: uuid.UUID
    trigger: TriggerEvent
    participant_id: uuid.UUID
    kind: NotificationKind
    recipient: str
    sender: str
    subject: str
    body: str
    message_id: str
    status: DeliveryStatus
    attempts: int
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None = None
    last_error: str | None = None

    @classmethod
    def pending(
        cls,
        *,
        trigger: TriggerEvent,
        participant_id: uuid.UUID,
        notification: Notification,
        sender: str,
        now: dt.datetime,
    ) -> Delivery:
        return cls(
            delivery_id=uuid.uuid4(),
            trigger=trigger,
            participant_id=participant_id,
            kind=notification.kind,
            recipient=notification.recipient,
            sender=sender,
            subject=notification.subject,
            body=notification.body,
            message_id=message_id_for(trigger.event_id, sender),
            status=DeliveryStatus.PENDING,
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )

    def record_sent(self, now: dt.datetime) -> None:
        self._must_be_pending()
        self.attempts += 1
        self.status = DeliveryStatus.SENT
        self.sent_at = now

    def record_failed_attempt(self, error: str, now: dt.datetime, policy: RetryPolicy) -> None:
        """Schedule the next attempt, or give up once the policy's attempts are used up."""
        self._must_be_pending()
        self.attempts += 1
        self.last_error = error[:LAST_ERROR_MAX_LENGTH]
        if self.attempts >= policy.max_attempts:
            self.status = DeliveryStatus.FAILED
        else:
            self.next_attempt_at = now + policy.backoff_after(self.attempts)

    def _must_be_pending(self) -> None:
        if self.status is not DeliveryStatus.PENDING:
            raise DeliveryNotPending(f"delivery {self.delivery_id} is already {self.status.value}")
