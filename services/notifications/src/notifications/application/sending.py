"""Send due deliveries and record the outcome; also the two moments a delivery changes by time:
a caseworker who was not assigned in time (the office is told), and digest time.

Each delivery is locked (FOR UPDATE SKIP LOCKED) while its channel is talked to, so another
replica never sends it at the same time, and "sent" commits together with `NotificationSent`
("failed" with `NotificationFailed`).

The window between send and record: a mail server's "250" or a partner's "2xx" that arrives but
whose "sent" could not be committed (the database went away) is remembered in
`accepted_but_unrecorded`, the caller's memory: the delivery is then only recorded, not sent
again. If the process dies in that window, the delivery is still pending and is sent again after
the restart — at least once, never silently lost. The resend is the same message: the same
Message-ID for mail, the same Idempotency-Key for webhooks (both derived from event, kind and
recipient), so a receiver that deduplicates by them shows it once. Closing the window entirely
would need SMTP servers and partners to take part in our transaction, which they cannot.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from notifications.adapters.published_events import notification_failed, notification_sent
from notifications.application.ports import Mailer, NotDelivered, WebhookCaller
from notifications.application.recording import Recording, fall_back_to_office
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.delivery import Channel, Delivery, DeliveryStatus, RetryPolicy
from notifications.domain.inbox import InboxItem
from notifications.domain.kinds import NotificationKind
from werkstattnetz_shared.logging import bind_event_context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Channels:
    mailer: Mailer
    webhooks: WebhookCaller


async def send_next_due_delivery(
    uow: NotificationsUnitOfWork,
    channels: Channels,
    policy: RetryPolicy,
    recording: Recording,
    accepted_but_unrecorded: set[uuid.UUID],
) -> Delivery | None:
    """Handle one due delivery; None when nothing is due."""
    async with uow:
        now = dt.datetime.now(dt.UTC)
        delivery = await uow.deliveries.next_due_for_update(now)
        if delivery is None:
            return None
        if delivery.status is DeliveryStatus.AWAITING_RECIPIENT:
            fall_back_to_office(delivery, recording, now)
            await uow.deliveries.readdress(delivery)  # cancelled if the office was told already
            log.warning("no caseworker assigned in time; the office is told instead")
            await uow.commit()
            return delivery
        if delivery.delivery_id in accepted_but_unrecorded:
            log.info("message was accepted before; recording it as sent without sending it again")
            delivery.record_sent(now)
        else:
            await _send(delivery, channels, policy, now, uow)
        if delivery.status is DeliveryStatus.SENT:
            accepted_but_unrecorded.add(delivery.delivery_id)
            await uow.outbox.add(notification_sent(delivery))
        elif delivery.status is DeliveryStatus.FAILED:
            await uow.outbox.add(notification_failed(delivery))
        await uow.deliveries.save(delivery)
        await uow.commit()
    accepted_but_unrecorded.discard(delivery.delivery_id)
    _log_outcome(delivery)
    return delivery


async def _send(
    delivery: Delivery,
    channels: Channels,
    policy: RetryPolicy,
    now: dt.datetime,
    uow: NotificationsUnitOfWork,
) -> None:
    if delivery.channel is Channel.INBOX:
        await uow.staff_inbox.add(_inbox_item_of(delivery, now))  # our own database: cannot fail apart
        delivery.record_sent(now)
        return
    try:
        if delivery.channel is Channel.WEBHOOK:
            subscription = (
                await uow.webhooks.get(delivery.subscription_id) if delivery.subscription_id else None
            )
            if subscription is None:
                raise NotDelivered("the webhook subscription was deleted", permanent=True)
            await channels.webhooks.call(delivery, subscription.secret)
        else:
            await channels.mailer.send(delivery)
    except NotDelivered as error:
        delivery.record_failed_attempt(str(error), now, policy, permanent=error.permanent)
    except Exception as error:
        # An unforeseen failure counts as an attempt too, so a message that breaks the adapter
        # ends as `failed` instead of being retried forever.
        log.exception("channel failed unexpectedly")
        delivery.record_failed_attempt(f"unexpected {type(error).__name__}: {error}", now, policy)
    else:
        delivery.record_sent(dt.datetime.now(dt.UTC))


def _inbox_item_of(delivery: Delivery, now: dt.datetime) -> InboxItem:
    return InboxItem(
        item_id=uuid.uuid4(),
        recipient=delivery.recipient_subject or delivery.recipient,
        trigger_event_id=delivery.trigger.event_id,
        kind=NotificationKind(delivery.kind),
        participant_id=delivery.participant_id,
        title=delivery.subject,
        link=delivery.body or None,
        created_at=now,
        facts=dict(delivery.facts),
    )


def _log_outcome(delivery: Delivery) -> None:
    facts = {
        "delivery_id": str(delivery.delivery_id),
        "trigger_event_id": str(delivery.trigger.event_id),
        "channel": delivery.channel.value,
        "attempts": delivery.attempts,
    }
    # The trigger's ids, so these lines join the consumer's lines about the same event.
    with bind_event_context(delivery.trigger.event_id, delivery.trigger.correlation_id):
        if delivery.status is DeliveryStatus.SENT:
            log.info("notification sent", extra=facts)
        elif delivery.status is DeliveryStatus.FAILED:
            log.error("notification failed for good", extra={**facts, "error": delivery.last_error})
        elif delivery.status is DeliveryStatus.PENDING:
            log.warning(
                "notification not sent, will retry",
                extra={**facts, "error": delivery.last_error, "next_attempt_at": delivery.next_attempt_at},
            )
