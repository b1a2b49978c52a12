"""Translate deliveries into the published `NotificationSent` / `NotificationFailed` contracts."""

import re

from notifications.domain.delivery import Delivery
from werkstattnetz_shared.events import EventData, EventEnvelope, NotificationFailed, NotificationSent

PRODUCER = "notifications"
ERROR_IN_EVENT_MAX = 300


def notification_sent(delivery: Delivery) -> EventEnvelope:
    """Part of the trigger event's flow: same correlation id, caused by the trigger event."""
    return _wrap(
        NotificationSent(
            notification_kind=delivery.kind,
            channel=delivery.channel.value,
            trigger_event_id=delivery.trigger.event_id,
            trigger_event_type=delivery.trigger.event_type,
            delivery_id=delivery.delivery_id,
            recipient_kind=delivery.recipient_kind.value,
        ),
        delivery,
    )


def notification_failed(delivery: Delivery) -> EventEnvelope:
    """Names no address: the delivery id leads admins to the log."""
    return _wrap(
        NotificationFailed(
            delivery_id=delivery.delivery_id,
            notification_kind=delivery.kind,
            channel=delivery.channel.value,
            recipient_kind=delivery.recipient_kind.value,
            trigger_event_id=delivery.trigger.event_id,
            trigger_event_type=delivery.trigger.event_type,
            attempts=max(delivery.attempts, 1),
            permanent=delivery.permanent_failure,
            last_error=without_addresses(delivery.last_error or "unknown", delivery)[:ERROR_IN_EVENT_MAX],
        ),
        delivery,
    )


def without_addresses(error: str, delivery: Delivery) -> str:
    """The error as the log keeps it, minus where it went: channel errors quote the recipient's
    address or the partner's URL (which may carry a token), and neither belongs on a topic."""
    if delivery.recipient:
        error = error.replace(delivery.recipient, f"<{delivery.recipient_kind.value}>")
    error = _URL.sub("<url>", error)
    return _MAIL_ADDRESS.sub("<address>", error)


_URL = re.compile(r"\bhttps?://\S+", re.IGNORECASE)
_MAIL_ADDRESS = re.compile(r"[^\s<>'\"(),;:@]+@[^\s<>'\"(),;:@]+")


def _wrap(data: EventData, delivery: Delivery) -> EventEnvelope:
    return EventEnvelope.wrap(
        data,
        producer=PRODUCER,
        participant_id=delivery.participant_id,
        correlation_id=delivery.trigger.correlation_id,
        causation_id=delivery.trigger.event_id,
    )
