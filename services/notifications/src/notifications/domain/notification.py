"""Which event notifies whom, with what kind of notification and what mail.

Today every notified event goes to the one configured staff address; the kind tells staff (and
the `NotificationSent` event) what it was about.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from notifications.domain.messages import compose_mail
from notifications.domain.triggers import (
    ParticipantWasIntegrated,
    ParticipantWasPlaced,
    ParticipantWasWaitlisted,
    Trigger,
)

EMAIL_CHANNEL = "email"


class NotificationKind(StrEnum):
    PLACEMENT = "placement"
    WAITLISTING = "waitlisting"
    INTEGRATION = "integration"


@dataclass(frozen=True)
class Notification:
    kind: NotificationKind
    recipient: str
    subject: str
    body: str


@dataclass(frozen=True)
class StaffToNotify:
    """The addresses staff want these mails at."""

    staff_email: str

    def recipient_for(self, kind: NotificationKind) -> str:
        return self.staff_email


def kind_of(trigger: Trigger) -> NotificationKind:
    match trigger:
        case ParticipantWasPlaced():
            return NotificationKind.PLACEMENT
        case ParticipantWasWaitlisted():
            return NotificationKind.WAITLISTING
        case ParticipantWasIntegrated():
            return NotificationKind.INTEGRATION


def notification_for(trigger: Trigger, staff: StaffToNotify) -> Notification:
    kind = kind_of(trigger)
    subject, body = compose_mail(trigger)
    return Notification(kind=kind, recipient=staff.recipient_for(kind), subject=subject, body=body)
