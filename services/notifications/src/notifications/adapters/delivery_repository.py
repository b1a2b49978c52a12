"""Deliveries in notifications' own database."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import asyncpg

from notifications.domain.delivery import Channel, Delivery, DeliveryStatus, RecipientKind
from notifications.domain.kinds import Language
from notifications.domain.occasions import TriggerEvent
from notifications.domain.rules import Timing

# The dispatcher LISTENs on this channel; NOTIFY is delivered on commit only.
DELIVERIES_CHANNEL = "mail_deliveries_pending"

_COLUMNS = """
    delivery_id, trigger_event_id, trigger_event_type, correlation_id, participant_id,
    notification_kind, channel, recipient_key, recipient_subject, subscription_id, recipient, sender,
    subject, body, html_body, message_id, status, attempts, created_at, next_attempt_at, sent_at,
    failed_at, last_error, language, facts, timing, offer_id, digest_id, retried_by, permanent_failure,
    urgent, not_before
"""
_DUE = "status IN ('pending', 'awaiting_recipient') AND timing = 'immediate'"


class DeliveryRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, delivery: Delivery) -> bool:
        """False when this (event, kind, channel, recipient) has a delivery already."""
        added = await self._connection.fetchval(
            """
            INSERT INTO deliveries (delivery_id, trigger_event_id, trigger_event_type, correlation_id,
                participant_id, notification_kind, channel, recipient_key, recipient_subject,
                subscription_id, recipient, sender, subject, body, html_body, message_id, status,
                attempts, created_at, next_attempt_at, language, facts, timing, offer_id, urgent, not_before)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                $19, $20, $21, $22::jsonb, $23, $24, $25, $26)
            ON CONFLICT (trigger_event_id, notification_kind, channel, recipient_key) DO NOTHING
            RETURNING true
            """,
            delivery.delivery_id,
            delivery.trigger.event_id,
            delivery.trigger.event_type,
            delivery.trigger.correlation_id,
            delivery.participant_id,
            delivery.kind,
            delivery.channel.value,
            delivery.recipient_key,
            delivery.recipient_subject,
            delivery.subscription_id,
            delivery.recipient,
            delivery.sender,
            delivery.subject,
            delivery.body,
            delivery.html_body,
            delivery.message_id,
            delivery.status.value,
            delivery.attempts,
            delivery.created_at,
            delivery.next_attempt_at,
            delivery.language.value,
            json.dumps(dict(delivery.facts)),
            delivery.timing.value,
            delivery.offer_id,
            delivery.urgent,
            delivery.not_before,
        )
        if not added:
            return False
        await self._connection.execute("SELECT pg_notify($1, '')", DELIVERIES_CHANNEL)
        return True

    async def next_due_for_update(self, now: dt.datetime) -> Delivery | None:
        """The oldest due delivery, locked; rows another sender holds are skipped."""
        row = await self._connection.fetchrow(
            f"""
            SELECT {_COLUMNS} FROM deliveries
            WHERE {_DUE} AND next_attempt_at <= $1
            ORDER BY next_attempt_at, created_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """,
            now,
        )
        return _delivery_from(row) if row else None

    async def next_retry_at(self, now: dt.datetime) -> dt.datetime | None:
        """When the next delivery falls due, if that is still in the future."""
        value: dt.datetime | None = await self._connection.fetchval(
            f"SELECT min(next_attempt_at) FROM deliveries WHERE {_DUE} AND next_attempt_at > $1", now
        )
        return value

    async def awaiting_for_update(self, participant_id: uuid.UUID) -> list[Delivery]:
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM deliveries
            WHERE participant_id = $1 AND status = 'awaiting_recipient'
            ORDER BY created_at FOR UPDATE
            """,
            participant_id,
        )
        return [_delivery_from(row) for row in rows]

    async def get_for_update(self, delivery_id: uuid.UUID) -> Delivery | None:
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM deliveries WHERE delivery_id = $1 FOR UPDATE", delivery_id
        )
        return _delivery_from(row) if row else None

    async def readdress(self, delivery: Delivery) -> bool:
        """Give an awaiting delivery its recipient. When that recipient has a delivery for the
        event already (another rule named them too), this one is cancelled instead: False."""
        taken = await self._connection.fetchval(
            """
            SELECT true FROM deliveries WHERE trigger_event_id = $1 AND notification_kind = $2
                AND channel = $3 AND recipient_key = $4 AND delivery_id <> $5
            """,
            delivery.trigger.event_id,
            delivery.kind,
            delivery.channel.value,
            delivery.recipient_key,
            delivery.delivery_id,
        )
        if taken or delivery.status is DeliveryStatus.CANCELLED:
            await self._connection.execute(
                "UPDATE deliveries SET status = 'cancelled', last_error = $2 WHERE delivery_id = $1",
                delivery.delivery_id,
                delivery.last_error or "the recipient was told through another rule",
            )
            return False
        await self._connection.execute(
            """
            UPDATE deliveries SET recipient_key = $2, recipient_subject = $3, recipient = $4, subject = $5,
                body = $6, html_body = $7, message_id = $8, status = $9, language = $10, timing = $11,
                next_attempt_at = $12, channel = $13
            WHERE delivery_id = $1
            """,
            delivery.delivery_id,
            delivery.recipient_key,
            delivery.recipient_subject,
            delivery.recipient,
            delivery.subject,
            delivery.body,
            delivery.html_body,
            delivery.message_id,
            delivery.status.value,
            delivery.language.value,
            delivery.timing.value,
            delivery.next_attempt_at,
            delivery.channel.value,
        )
        await self._connection.execute("SELECT pg_notify($1, '')", DELIVERIES_CHANNEL)
        return True

    async def save(self, delivery: Delivery) -> None:
        await self._connection.execute(
            """
            UPDATE deliveries SET status = $2, attempts = $3, next_attempt_at = $4, sent_at = $5,
                last_error = $6, failed_at = $7, permanent_failure = $8, retried_by = $9
            WHERE delivery_id = $1
            """,
            delivery.delivery_id,
            delivery.status.value,
            delivery.attempts,
            delivery.next_attempt_at,
            delivery.sent_at,
            delivery.last_error,
            delivery.failed_at,
            delivery.permanent_failure,
            delivery.retried_by,
        )
        if delivery.status is DeliveryStatus.PENDING:
            await self._connection.execute("SELECT pg_notify($1, '')", DELIVERIES_CHANNEL)

    async def due_digest_rows_for_update(self, now: dt.datetime) -> list[Delivery]:
        """Digest rows whose digest time has come, grouped by recipient (ordered by key)."""
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM deliveries
            WHERE timing = 'digest' AND status = 'pending' AND next_attempt_at <= $1
            ORDER BY recipient_key, created_at
            FOR UPDATE SKIP LOCKED
            """,
            now,
        )
        return [_delivery_from(row) for row in rows]

    async def mark_in_digest(self, delivery_ids: list[uuid.UUID], digest_id: uuid.UUID) -> None:
        await self._connection.execute(
            "UPDATE deliveries SET status = 'in_digest', digest_id = $2 WHERE delivery_id = ANY($1::uuid[])",
            delivery_ids,
            digest_id,
        )

    async def cancel_reminders_of_offer(self, offer_id: uuid.UUID) -> int:
        result = await self._connection.execute(
            """
            UPDATE deliveries SET status = 'cancelled', last_error = 'the offer was answered or expired'
            WHERE offer_id = $1 AND notification_kind = 'offer_expiring'
              AND status IN ('pending', 'awaiting_recipient') AND attempts = 0
            """,
            offer_id,
        )
        return int(result.split()[-1])

    async def erase_participant(self, participant_id: uuid.UUID) -> int:
        """Keeps the log (who was told what kind of thing when: the audit need), drops the texts
        and facts, and cancels what was not sent yet."""
        result = await self._connection.execute(
            """
            UPDATE deliveries SET subject = '(erased)', body = '', html_body = NULL, facts = '{}',
                status = CASE WHEN status IN ('pending', 'awaiting_recipient') THEN 'cancelled'
                    ELSE status END
            WHERE participant_id = $1
            """,
            participant_id,
        )
        return int(result.split()[-1])

    async def count_by_status(self) -> dict[DeliveryStatus, int]:
        rows = await self._connection.fetch("SELECT status, count(*) AS n FROM deliveries GROUP BY status")
        return {DeliveryStatus(row["status"]): row["n"] for row in rows}

    async def exists(self, delivery_id: uuid.UUID) -> bool:
        return bool(
            await self._connection.fetchval("SELECT true FROM deliveries WHERE delivery_id = $1", delivery_id)
        )

    async def list_page(
        self,
        *,
        participant_id: uuid.UUID | None,
        status: DeliveryStatus | None,
        after: uuid.UUID | None,
        limit: int,
        channel: Channel | None = None,
    ) -> list[Delivery]:
        """Oldest first, keyset-paginated by (created_at, delivery_id)."""
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM deliveries
            WHERE ($1::uuid IS NULL OR participant_id = $1)
              AND ($2::text IS NULL OR status = $2)
              AND ($3::uuid IS NULL OR (created_at, delivery_id) >
                   (SELECT created_at, delivery_id FROM deliveries WHERE delivery_id = $3))
              AND ($5::text IS NULL OR channel = $5)
            ORDER BY created_at, delivery_id
            LIMIT $4
            """,
            participant_id,
            status.value if status else None,
            after,
            limit,
            channel.value if channel else None,
        )
        return [_delivery_from(row) for row in rows]


def _recipient_kind(key: str) -> RecipientKind:
    if key.startswith("webhook:"):
        return RecipientKind.WEBHOOK
    if key.startswith("office"):
        return RecipientKind.OFFICE
    if key.startswith("staff:") or key.startswith("awaiting"):
        return RecipientKind.STAFF
    return RecipientKind.OFFICE  # deliveries from before recipients were told apart: the one address


def _delivery_from(row: Any) -> Delivery:
    return Delivery(
        delivery_id=row["delivery_id"],
        trigger=TriggerEvent(
            event_id=row["trigger_event_id"],
            event_type=row["trigger_event_type"],
            correlation_id=row["correlation_id"],
        ),
        participant_id=row["participant_id"],
        kind=row["notification_kind"],
        channel=Channel(row["channel"]),
        recipient_kind=_recipient_kind(row["recipient_key"]),
        recipient_key=row["recipient_key"],
        recipient=row["recipient"],
        sender=row["sender"],
        subject=row["subject"],
        body=row["body"],
        message_id=row["message_id"],
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        created_at=row["created_at"],
        next_attempt_at=row["next_attempt_at"],
        html_body=row["html_body"],
        recipient_subject=row["recipient_subject"],
        subscription_id=row["subscription_id"],
        language=Language(row["language"]),
        facts=json.loads(row["facts"]) if isinstance(row["facts"], str) else dict(row["facts"] or {}),
        timing=Timing(row["timing"]),
        offer_id=row["offer_id"],
        digest_id=row["digest_id"],
        sent_at=row["sent_at"],
        failed_at=row["failed_at"],
        last_error=row["last_error"],
        permanent_failure=row["permanent_failure"],
        retried_by=row["retried_by"],
        urgent=row["urgent"],
        not_before=row["not_before"],
    )
