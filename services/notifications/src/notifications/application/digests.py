"""Daily digests: the messages a rule sends "in a daily digest" go out as one mail per staff
member at the configured local time.

Each staff member's due digest rows are locked, bundled into one new delivery (its own Message-ID,
derived from the recipient and the day, so even a second bundling on the same day could not mail
the same digest twice under another id) and marked `in_digest` in the same transaction; the
bundle is then sent like any other delivery.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from itertools import groupby

from notifications.application.ports import DigestEntry
from notifications.application.recording import Recording
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.delivery import (
    DIGEST_KIND,
    Channel,
    Delivery,
    DeliveryStatus,
    message_id_for,
)
from notifications.domain.kinds import NotificationKind
from notifications.domain.occasions import TriggerEvent

DIGEST_NAMESPACE = uuid.UUID("8d4b1f0e-3a52-4c1e-9d0b-6f2e7a9c5b13")
NO_PARTICIPANT = uuid.UUID(int=0)
"""A digest is about many participants: its log row and events name none."""


async def send_due_digests(
    unit_of_work: Callable[[], NotificationsUnitOfWork], recording: Recording, now: dt.datetime
) -> int:
    """Bundle every due digest; returns how many digests were made."""
    async with unit_of_work() as uow:
        due = await uow.deliveries.due_digest_rows_for_update(now)
        if not due:
            return 0
        made = 0
        for key, rows in groupby(due, key=lambda delivery: delivery.recipient_key):
            bundled = list(rows)
            digest = _digest(key, bundled, recording, now)
            await uow.deliveries.add(digest)
            await uow.deliveries.mark_in_digest([d.delivery_id for d in bundled], digest.delivery_id)
            made += 1
        await uow.commit()
    return made


def _digest(key: str, bundled: list[Delivery], recording: Recording, now: dt.datetime) -> Delivery:
    first = bundled[0]
    day = now.astimezone(recording.zone).date()
    digest_event = uuid.uuid5(
        DIGEST_NAMESPACE, f"{key}/{day.isoformat()}/{min(d.delivery_id for d in bundled)}"
    )
    rendered = recording.templates.render_digest(
        first.language,
        [
            DigestEntry(NotificationKind(d.kind), d.participant_id, d.facts, d.created_at)
            for d in sorted(bundled, key=lambda d: d.created_at)
        ],
    )
    digest = Delivery(
        delivery_id=digest_event,
        trigger=TriggerEvent(digest_event, "Digest", digest_event),
        participant_id=NO_PARTICIPANT,
        kind=DIGEST_KIND,
        channel=Channel.EMAIL,
        recipient_kind=first.recipient_kind,
        recipient_key=key,
        recipient=first.recipient,
        sender=recording.sender,
        subject=rendered.subject,
        body=rendered.text,
        html_body=rendered.html,
        message_id=message_id_for(digest_event, recording.sender, DIGEST_KIND, key),
        status=DeliveryStatus.PENDING,
        attempts=0,
        created_at=now,
        next_attempt_at=now,
        recipient_subject=first.recipient_subject,
        language=first.language,
    )
    for delivery in bundled:
        delivery.status = DeliveryStatus.IN_DIGEST
        delivery.digest_id = digest.delivery_id
    return digest
