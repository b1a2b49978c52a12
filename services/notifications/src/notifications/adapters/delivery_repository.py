"""Mail deliveries in notifications' own database."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from notifications.domain.delivery import Delivery, DeliveryStatus
from notifications.domain.notification import NotificationKind
from notifications.domain.triggers import TriggerEvent

# The mail dispatcher LISTENs on this channel; NOTIFY is delivered on commit only.
DELIVERIES_CHANNEL = "mail_deliveries_pending"

_COLUMNS = """
    delivery_id, trigger_event_id, trigger_event_type, correlation_id, participant_id,
    notification_kind, recipient, sender, subject, body, message_id, status, attempts,
    created_at, next_attempt_at, sent_at, last_error
"""


class DeliveryRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, delivery: Delivery) -> bool:
        """False when a delivery for this trigger event exists already (nothing is added then)."""
        # The inbox already keeps a redelivered event out; the unique trigger id is the last guard.
        added = await self._connection.fetchval(
            """
            INSERT INTO deliveries (delivery_id, trigger_event_id, trigger_event_type, correlation_id,
                participant_id, notification_kind, recipient, sender, subject, body, message_id,
                status, attempts, created_at, next_attempt_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (trigger_event_id) DO NOTHING
            RETURNING true
            """,
            delivery.delivery_id,
            delivery.trigger.event_id,
            delivery.trigger.event_type,
            delivery.trigger.correlation_id,
            delivery.participant_id,
            delivery.kind.value,
            delivery.recipient,
            delivery.sender,
            delivery.subject,
            delivery.body,
            delivery.message_id,
            delivery.status.value,
            delivery.attempts,
            delivery.created_at,
            delivery.next_attempt_at,
        )
        if not added:
            return False
        await self._connection.execute("SELECT pg_notify($1, '')", DELIVERIES_CHANNEL)
        return True

    async def next_due_for_update(self, now: dt.datetime) -> Delivery | None:
        """The oldest due pending delivery, locked; rows another sender holds are skipped."""
        row = await self._connection.fetchrow(
            f"""
            SELECT {_COLUMNS} FROM deliveries
            WHERE status = 'pending' AND next_attempt_at <= $1
            ORDER BY next_attempt_at, created_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """,
            now,
        )
        return _delivery_from(row) if row else None

    async def next_retry_at(self, now: dt.datetime) -> dt.datetime | None:
        """When the next pending delivery falls due, if that is still in the future."""
        value: dt.datetime | None = await self._connection.fetchval(
            "SELECT min(next_attempt_at) FROM deliveries WHERE status = 'pending' AND next_attempt_at > $1",
            now,
        )
        return value

    async def save(self, delivery: Delivery) -> None:
        await self._connection.execute(
            """
            UPDATE deliveries SET status = $2, attempts = $3, next_attempt_at = $4, sent_at = $5,
                last_error = $6
            WHERE delivery_id = $1
            """,
            delivery.delivery_id,
            delivery.status.value,
            delivery.attempts,
            delivery.next_attempt_at,
            delivery.sent_at,
            delivery.last_error,
        )

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
    ) -> list[Delivery]:
        """Oldest first, keyset-paginated by (created_at, delivery_id)."""
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM deliveries
            WHERE ($1::uuid IS NULL OR participant_id = $1)
              AND ($2::text IS NULL OR status = $2)
              AND ($3::uuid IS NULL OR (created_at, delivery_id) >
                   (SELECT created_at, delivery_id FROM deliveries WHERE delivery_id = $3))
            ORDER BY created_at, delivery_id
            LIMIT $4
            """,
            participant_id,
            status.value if status else None,
            after,
            limit,
        )
        return [_delivery_from(row) for row in rows]


def _delivery_from(row: Any) -> Delivery:
    return Delivery(
        delivery_id=row["delivery_id"],
        trigger=TriggerEvent(
            event_id=row["trigger_event_id"],
            event_type=row["trigger_event_type"],
            correlation_id=row["correlation_id"],
        ),
        participant_id=row["participant_id"],
        kind=NotificationKind(row["notification_kind"]),
        recipient=row["recipient"],
        sender=row["sender"],
        subject=row["subject"],
        body=row["body"],
        message_id=row["message_id"],
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        created_at=row["created_at"],
        next_attempt_at=row["next_attempt_at"],
        sent_at=row["sent_at"],
        last_error=row["last_error"],
    )
