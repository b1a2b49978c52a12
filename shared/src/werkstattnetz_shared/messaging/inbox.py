"""The idempotent consumer's duplicate check: a primary-key insert in the handler's transaction."""

from __future__ import annotations

import asyncpg

from werkstattnetz_shared.events.envelope import EventEnvelope


class Inbox:
    def __init__(self, connection: asyncpg.Connection, consumer: str) -> None:
        self._connection = connection
        self._consumer = consumer

    async def claim(self, envelope: EventEnvelope) -> bool:
        """True the first time this consumer sees the event; False for a redelivery.

        The row only becomes visible when the surrounding transaction commits, so a handler that
        fails leaves no trace and the event is handled again on redelivery.
        """
        inserted = await self._connection.fetchval(
            """
            INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3)
            ON CONFLICT (consumer, event_id) DO NOTHING
            RETURNING true
            """,
            self._consumer,
            envelope.event_id,
            envelope.event_type,
        )
        return bool(inserted)
