"""Writing events into the outbox, inside the caller's transaction.

The state change and its events commit together or not at all; NOTIFY is only delivered on
commit, so the relay wakes exactly when there is something new to publish.
"""

from __future__ import annotations

import json

import asyncpg

from werkstattnetz_shared.events.cloudevents import cloudevent_headers
from werkstattnetz_shared.events.envelope import EventEnvelope

OUTBOX_CHANNEL = "outbox_pending"


class Outbox:
    """The outbox of one open transaction."""

    def __init__(self, connection: asyncpg.Connection, topic: str) -> None:
        self._connection = connection
        self._topic = topic

    async def add(self, envelope: EventEnvelope) -> None:
        headers = {name: value.decode() for name, value in cloudevent_headers(envelope)}
        # One round trip for the row and its wake-up call (a NOTIFY is only sent on commit).
        await self._connection.execute(
            """
            WITH added AS (
                INSERT INTO outbox (event_id, topic, message_key, event_type, payload, headers)
                VALUES ($1, $2, $3, $4, $5, $6::jsonb)
                RETURNING 1
            )
            SELECT pg_notify($7, '') FROM added
            """,
            envelope.event_id,
            self._topic,
            str(envelope.participant_id),
            envelope.event_type,
            envelope.to_json_bytes().decode(),
            json.dumps(headers),
            OUTBOX_CHANNEL,
        )
