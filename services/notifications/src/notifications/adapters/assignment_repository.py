"""Who is responsible for whom, as intake announced it (CaseworkerAssigned)."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg


class AssignmentRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def caseworker_of(self, participant_id: uuid.UUID) -> str | None:
        value: str | None = await self._connection.fetchval(
            "SELECT caseworker FROM caseworker_assignments WHERE participant_id = $1", participant_id
        )
        return value

    async def assign(self, participant_id: uuid.UUID, caseworker: str, on: dt.date) -> bool:
        """False when a later assignment is known already (events of one person come in order, but
        a redelivery may repeat an older one)."""
        changed = await self._connection.fetchval(
            """
            INSERT INTO caseworker_assignments (participant_id, caseworker, assigned_on)
            VALUES ($1, $2, $3)
            ON CONFLICT (participant_id) DO UPDATE
                SET caseworker = EXCLUDED.caseworker, assigned_on = EXCLUDED.assigned_on, updated_at = now()
                WHERE caseworker_assignments.assigned_on <= EXCLUDED.assigned_on
            RETURNING true
            """,
            participant_id,
            caseworker,
            on,
        )
        return bool(changed)

    async def forget(self, participant_id: uuid.UUID) -> None:
        await self._connection.execute(
            "DELETE FROM caseworker_assignments WHERE participant_id = $1", participant_id
        )
