"""The answers intake remembers for `Idempotency-Key` retries show personal data too (a referral
view with the person's name and the interview note, a guardian's name on a consent); an erasure
must not leave them behind, so it forgets every remembered answer about the person."""

from __future__ import annotations

import uuid

import asyncpg


class RememberedAnswers:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def forget_about(self, participant_id: uuid.UUID) -> None:
        """A retry with a forgotten key is handled as a new request (and meets the erasure)."""
        await self._connection.execute(
            """
            DELETE FROM idempotency_keys
            WHERE response::text LIKE '%' || $2 || '%'
               OR response->>'consent_id' IN (
                   SELECT consent_id::text FROM consents WHERE participant_id = $1)
            """,
            participant_id,
            str(participant_id),
        )
