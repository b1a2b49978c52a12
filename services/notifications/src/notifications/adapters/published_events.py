"""Translate a sent delivery into the published `NotificationSent` contract."""

from notifications.domain.delivery import Delivery
from notifications.domain.notification import EMAIL_CHANNEL
from werkstattnetz_shared.events import EventEnvelope, NotificationSent

PRODUCER = "notifications"


def notification_sent(delivery: Delivery) -> EventEnvelope:
    """Part of the trigger event's flow: same correlation id, caused by the trigger event."""
    data = NotificationSent(
        notification_kind=delivery.kind.value,
        channel=EMAIL_CHANNEL,
        trigger_event_id=delivery.trigger.event_id,
        trigger_event_type=delivery.trigger.event_type,
    )
    return EventEnvelope.wrap(
        data,
        producer=PRODUCER,
        participant_id=delivery.participant_id,
        correlation_id=delivery.trigger.correlation_id,
        causation_id=delivery.trigger.event_id,
    )
