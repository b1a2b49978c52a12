"""notifications' use cases: record a mail when an event arrives, send due mails later.

The two halves are split on purpose. Recording runs inside the consumer's transaction (together
with the inbox row), so a redelivered event finds its inbox row and records nothing; sending runs
in the mail dispatcher, outside any Kafka handling, so a slow or absent mail server never holds up
the consumer and never makes it handle an event twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from notifications.adapters.published_events import notification_sent
from notifications.application.mailer import Mailer, MailNotSent
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.delivery import Delivery, DeliveryStatus, RetryPolicy
from notifications.domain.notification import StaffToNotify, notification_for
from notifications.domain.triggers import Trigger, TriggerEvent
from werkstattnetz_shared.logging import bind_event_context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordDelivery:
    trigger: Trigger
    trigger_event: TriggerEvent
    staff: StaffToNotify
    sender: str


async def record_pending_delivery(command: RecordDelivery, uow: NotificationsUnitOfWork) -> None:
    """Runs inside the caller's open transaction and does not commit (the inbox wrapper does)."""
    notification = notification_for(command.trigger, command.staff)
    delivery = Delivery.pending(
        trigger=command.trigger_event,
        participant_id=command.trigger.participant_id,
        notification=notification,
        sender=command.sender,
        now=dt.datetime.now(dt.UTC),
    )
    if await uow.deliveries.add(delivery):
        log.info(
            "mail delivery recorded",
            extra={"delivery_id": str(delivery.delivery_id), "notification_kind": delivery.kind.value},
        )
    else:
        log.info("mail delivery for this event was recorded before; nothing added")


async def send_next_due_delivery(
    uow: NotificationsUnitOfWork,
    mailer: Mailer,
    policy: RetryPolicy,
    accepted_but_unrecorded: set[uuid.UUID],
) -> Delivery | None:
    """Send one due delivery and record the outcome; None when nothing is due.

    The row stays locked (FOR UPDATE SKIP LOCKED) while the mail server is talked to, so another
    replica never sends the same delivery at the same time, and "sent" commits together with the
    `NotificationSent` outbox row.

    A mail the server accepted but whose "sent" could not be committed (the database went away
    during the SMTP conversation) is remembered in `accepted_but_unrecorded`, the caller's memory:
    when that delivery comes up again it is only recorded as sent, not mailed again.

    The one window left: if the process dies after the mail server accepted the mail but before
    "sent" committed, the delivery is still pending and is sent again (the same holds when the
    server's "250 accepted" is lost to a timeout). The resend carries the same Message-ID (derived
    from the trigger event id), so mail clients and servers that deduplicate by Message-ID show it
    once. Closing the window entirely would need the mail server to take part in our transaction,
    which SMTP cannot.
    """
    async with uow:
        now = dt.datetime.now(dt.UTC)
        delivery = await uow.deliveries.next_due_for_update(now)
        if delivery is None:
            return None
        if delivery.delivery_id in accepted_but_unrecorded:
            log.info("mail was accepted before; recording it as sent without sending it again")
            delivery.record_sent(now)
        else:
            await _send(delivery, mailer, policy, now)
        if delivery.status is DeliveryStatus.SENT:
            accepted_but_unrecorded.add(delivery.delivery_id)
            await uow.outbox.add(notification_sent(delivery))
        await uow.deliveries.save(delivery)
        await uow.commit()
    accepted_but_unrecorded.discard(delivery.delivery_id)
    _log_outcome(delivery)
    return delivery


async def _send(delivery: Delivery, mailer: Mailer, policy: RetryPolicy, now: dt.datetime) -> None:
    try:
        await mailer.send(delivery)
    except MailNotSent as error:
        delivery.record_failed_attempt(str(error), now, policy)
    except Exception as error:
        # An unforeseen failure counts as an attempt too, so a mail that breaks the adapter ends
        # as `failed` instead of being retried forever.
        log.exception("mailer failed unexpectedly")
        delivery.record_failed_attempt(f"unexpected {type(error).__name__}: {error}", now, policy)
    else:
        delivery.record_sent(dt.datetime.now(dt.UTC))


def _log_outcome(delivery: Delivery) -> None:
    facts = {
        "delivery_id": str(delivery.delivery_id),
        "trigger_event_id": str(delivery.trigger.event_id),
        "attempts": delivery.attempts,
    }
    # The trigger's ids, so these lines join the consumer's lines about the same event.
    with bind_event_context(delivery.trigger.event_id, delivery.trigger.correlation_id):
        if delivery.status is DeliveryStatus.SENT:
            log.info("mail sent", extra=facts)
        elif delivery.status is DeliveryStatus.FAILED:
            log.error("mail delivery failed for good", extra={**facts, "error": delivery.last_error})
        else:
            log.warning(
                "mail not sent, will retry",
                extra={**facts, "error": delivery.last_error, "next_attempt_at": delivery.next_attempt_at},
            )
