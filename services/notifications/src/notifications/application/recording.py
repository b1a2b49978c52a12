"""Record who is told about an occasion: inbox items and deliveries, in the consumer's transaction.

Runs inside the caller's open unit of work and never commits (the inbox wrapper does, together
with the inbox row), so a redelivered event finds its inbox row and records nothing; the unique
(event, kind, channel, recipient) key of deliveries and inbox items is the last guard. Sending is
the dispatcher's business, outside any Kafka handling.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from notifications.application.ports import MessageRendering
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.addressing import AwaitingCaseworker, StaffNotice, address
from notifications.domain.delivery import (
    Channel,
    Delivery,
    DeliveryStatus,
    RecipientKind,
    message_id_for,
)
from notifications.domain.directory import StaffMember
from notifications.domain.inbox import InboxItem
from notifications.domain.kinds import DEFAULT_LANGUAGE, Language, NotificationKind
from notifications.domain.occasions import Occasion
from notifications.domain.rules import Timing
from notifications.domain.webhook_signature import idempotency_key
from notifications.domain.webhooks import WebhookSubscription

log = logging.getLogger(__name__)

OFFICE_KEY = "office"
AWAITING_KEY = "awaiting"


@dataclass(frozen=True)
class Recording:
    """What recording needs besides the occasion (from settings and the composition root)."""

    templates: MessageRendering
    sender: str
    office_email: str
    zone: ZoneInfo
    caseworker_wait: dt.timedelta
    digest_time: dt.time


def staff_key(subject: str) -> str:
    return f"staff:{subject}"


def webhook_key(subscription_id: uuid.UUID) -> str:
    return f"webhook:{subscription_id}"


async def record_occasion(
    occasion: Occasion, recording: Recording, uow: NotificationsUnitOfWork, now: dt.datetime
) -> int:
    """Inbox items and deliveries for everyone the rules name; how many deliveries were added."""
    rules = await uow.rules.for_kind(occasion.kind)
    staff = await uow.staff.active_members()
    caseworker = await uow.assignments.caseworker_of(occasion.participant_id)
    addressing = address(rules, staff, caseworker=caseworker, workshop_lead=occasion.workshop_lead)
    due = max(now, occasion.not_before) if occasion.not_before else now
    deliveries: list[Delivery] = []
    for notice in addressing.notices:
        deliveries += await _tell_staff_member(occasion, notice, recording, uow, due, now)
    if addressing.office:
        deliveries.append(_mail_to_office(occasion, recording, due, now))
    if addressing.awaiting is not None:
        deliveries.append(_awaiting_caseworker(occasion, addressing.awaiting, recording, due, now))
    for subscription in await uow.webhooks.active_for_kind(occasion.kind):
        deliveries.append(_webhook_call(occasion, subscription, recording, due, now))
    added = 0
    for delivery in deliveries:
        added += await uow.deliveries.add(delivery)
    log.info(
        "notification recorded",
        extra={
            "notification_kind": occasion.kind.value,
            "deliveries": added,
            "staff": len(addressing.notices),
        },
    )
    return added


async def address_awaiting_deliveries(
    participant_id: uuid.UUID,
    caseworker: str,
    recording: Recording,
    uow: NotificationsUnitOfWork,
    now: dt.datetime,
) -> int:
    """The caseworker is known now: what waited for them goes to them, as the rule that named them
    said (channel, timing, urgency, the occasion's own moment); how many deliveries that made."""
    member = await uow.staff.get(caseworker)
    addressed = 0
    for waiting in await uow.deliveries.awaiting_for_update(participant_id):
        occasion = _occasion_of(waiting)
        due = max(now, waiting.not_before) if waiting.not_before else now
        by_mail = bool(member and member.wants_mail())
        notice = StaffNotice(caseworker, member, by_mail, waiting.timing, waiting.urgent)
        told = await _tell_staff_member(occasion, notice, recording, uow, due, now)
        if member is None:  # not in the directory: the office still learns of it
            told.append(_mail_to_office(occasion, recording, due, now))
        # The waiting row becomes the first of what is told by delivery; the rest are added.
        if told:
            _readdress(waiting, told[0])
            if await uow.deliveries.readdress(waiting):
                addressed += 1
            for delivery in told[1:]:
                addressed += await uow.deliveries.add(delivery)
        else:
            waiting.status = DeliveryStatus.CANCELLED
            waiting.last_error = "told in the inbox"
            await uow.deliveries.readdress(waiting)
    return addressed


async def _tell_staff_member(
    occasion: Occasion,
    notice: StaffNotice,
    recording: Recording,
    uow: NotificationsUnitOfWork,
    due: dt.datetime,
    now: dt.datetime,
) -> list[Delivery]:
    """The inbox item (now, or as a delivery when the occasion's moment lies ahead) and the mail."""
    deliveries: list[Delivery] = []
    if due <= now:
        await _add_inbox_item(occasion, notice, recording, uow, now)
    else:
        deliveries.append(_inbox_item_later(occasion, notice, recording, due, now))
    if notice.by_mail and notice.member is not None:
        deliveries.append(_mail_to_staff(occasion, notice, notice.member, recording, due, now))
    return deliveries


def fall_back_to_office(waiting: Delivery, recording: Recording, now: dt.datetime) -> None:
    """Nobody was assigned in time: the office address gets the message instead."""
    _readdress(waiting, _mail_to_office(_occasion_of(waiting), recording, now, now))


def _readdress(waiting: Delivery, addressed: Delivery) -> None:
    waiting.channel = addressed.channel
    waiting.recipient_kind = addressed.recipient_kind
    waiting.recipient_key = addressed.recipient_key
    waiting.recipient_subject = addressed.recipient_subject
    waiting.recipient = addressed.recipient
    waiting.language = addressed.language
    waiting.subject, waiting.body, waiting.html_body = addressed.subject, addressed.body, addressed.html_body
    waiting.message_id = addressed.message_id
    waiting.timing = addressed.timing
    waiting.next_attempt_at = addressed.next_attempt_at
    waiting.status = DeliveryStatus.PENDING


def _occasion_of(delivery: Delivery) -> Occasion:
    return Occasion(
        kind=NotificationKind(delivery.kind),
        participant_id=delivery.participant_id,
        trigger=delivery.trigger,
        facts=delivery.facts,
        offer_id=delivery.offer_id,
    )


async def _add_inbox_item(
    occasion: Occasion,
    notice: StaffNotice,
    recording: Recording,
    uow: NotificationsUnitOfWork,
    now: dt.datetime,
) -> None:
    language = notice.member.language if notice.member else DEFAULT_LANGUAGE
    rendered = recording.templates.render(occasion.kind, language, occasion.participant_id, occasion.facts)
    await uow.staff_inbox.add(
        InboxItem(
            item_id=uuid.uuid4(),
            recipient=notice.subject,
            trigger_event_id=occasion.trigger.event_id,
            kind=occasion.kind,
            participant_id=occasion.participant_id,
            title=rendered.subject,
            link=recording.templates.link(occasion.participant_id),
            created_at=now,
            facts=dict(occasion.facts),
        )
    )


def _mail_to_staff(
    occasion: Occasion,
    notice: StaffNotice,
    member: StaffMember,
    recording: Recording,
    due: dt.datetime,
    now: dt.datetime,
) -> Delivery:
    if notice.timing is Timing.DIGEST:
        when = next_digest_at(now, recording.zone, recording.digest_time)
    else:
        when = member.when_to_tell(due, recording.zone, urgent=notice.urgent)
    delivery = _mail(
        occasion,
        RecipientKind.STAFF,
        staff_key(member.subject),
        member.email or "",
        member.language,
        recording,
        when,
        now,
    )
    delivery.recipient_subject = member.subject
    delivery.timing = notice.timing
    return delivery


def _mail_to_office(occasion: Occasion, recording: Recording, due: dt.datetime, now: dt.datetime) -> Delivery:
    return _mail(
        occasion,
        RecipientKind.OFFICE,
        OFFICE_KEY,
        recording.office_email,
        DEFAULT_LANGUAGE,
        recording,
        due,
        now,
    )


def _awaiting_caseworker(
    occasion: Occasion, rule: AwaitingCaseworker, recording: Recording, due: dt.datetime, now: dt.datetime
) -> Delivery:
    delivery = _mail(occasion, RecipientKind.STAFF, AWAITING_KEY, "", DEFAULT_LANGUAGE, recording, due, now)
    delivery.status = DeliveryStatus.AWAITING_RECIPIENT
    delivery.next_attempt_at = max(due, now + recording.caseworker_wait)
    delivery.timing, delivery.urgent, delivery.not_before = rule.timing, rule.urgent, occasion.not_before
    return delivery


def _inbox_item_later(
    occasion: Occasion, notice: StaffNotice, recording: Recording, due: dt.datetime, now: dt.datetime
) -> Delivery:
    """An inbox item whose moment lies ahead (a reminder): written by the dispatcher when due."""
    language = notice.member.language if notice.member else DEFAULT_LANGUAGE
    delivery = _mail(
        occasion,
        RecipientKind.STAFF,
        staff_key(notice.subject),
        notice.subject,
        language,
        recording,
        due,
        now,
    )
    delivery.channel = Channel.INBOX
    # Unique like every delivery's, and never the Message-ID of the mail to the same person.
    delivery.message_id = (
        f"inbox:{uuid.uuid5(occasion.trigger.event_id, f'{occasion.kind}/{delivery.recipient_key}')}"
    )
    delivery.recipient_subject = notice.subject
    delivery.body = recording.templates.link(occasion.participant_id)
    delivery.html_body = None
    return delivery


def _mail(
    occasion: Occasion,
    recipient_kind: RecipientKind,
    key: str,
    address_: str,
    language: Language,
    recording: Recording,
    when: dt.datetime,
    now: dt.datetime,
) -> Delivery:
    rendered = recording.templates.render(occasion.kind, language, occasion.participant_id, occasion.facts)
    return Delivery(
        delivery_id=uuid.uuid4(),
        trigger=occasion.trigger,
        participant_id=occasion.participant_id,
        kind=occasion.kind.value,
        channel=Channel.EMAIL,
        recipient_kind=recipient_kind,
        recipient_key=key,
        recipient=address_,
        sender=recording.sender,
        subject=rendered.subject,
        body=rendered.text,
        html_body=rendered.html,
        message_id=message_id_for(occasion.trigger.event_id, recording.sender, occasion.kind.value, key),
        status=DeliveryStatus.PENDING,
        attempts=0,
        created_at=now,
        next_attempt_at=when,
        language=language,
        facts=dict(occasion.facts),
        offer_id=occasion.offer_id,
    )


def _webhook_call(
    occasion: Occasion,
    subscription: WebhookSubscription,
    recording: Recording,
    due: dt.datetime,
    now: dt.datetime,
) -> Delivery:
    key = idempotency_key(occasion.trigger.event_id, subscription.subscription_id)
    body = {
        "notification_id": str(uuid.uuid5(key, occasion.kind.value)),
        "kind": occasion.kind.value,
        "event_id": str(occasion.trigger.event_id),
        "event_type": occasion.trigger.event_type,
        "participant_id": str(occasion.participant_id),
        "link": recording.templates.link(occasion.participant_id),
        "facts": dict(occasion.facts),
        "recorded_at": now.isoformat(),
    }
    return Delivery(
        delivery_id=uuid.uuid4(),
        trigger=occasion.trigger,
        participant_id=occasion.participant_id,
        kind=occasion.kind.value,
        channel=Channel.WEBHOOK,
        recipient_kind=RecipientKind.WEBHOOK,
        recipient_key=webhook_key(subscription.subscription_id),
        recipient=subscription.url,
        sender=recording.sender,
        subject=subscription.name,
        body=json.dumps(body, sort_keys=True, separators=(",", ":")),
        message_id=str(uuid.uuid5(key, occasion.kind.value)),
        status=DeliveryStatus.PENDING,
        attempts=0,
        created_at=now,
        next_attempt_at=due,
        subscription_id=subscription.subscription_id,
        facts=dict(occasion.facts),
        offer_id=occasion.offer_id,
    )


def next_digest_at(now: dt.datetime, zone: ZoneInfo, at: dt.time) -> dt.datetime:
    """The next digest moment (local `at`) after `now`."""
    local = now.astimezone(zone)
    moment = dt.datetime.combine(local.date(), at, zone)
    if moment <= local:
        moment = dt.datetime.combine(local.date() + dt.timedelta(days=1), at, zone)
    return moment.astimezone(dt.UTC)
