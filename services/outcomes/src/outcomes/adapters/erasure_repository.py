"""Erasing the free text outcomes keeps about a person, and remembering that it did."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class ErasedTexts:
    notes_deleted: int
    goal_texts_blanked: int
    milestone_texts_blanked: int
    stored_answers_deleted: int


class ErasureRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def erase_case_work_texts(self, participant_id: uuid.UUID, erased_on: dt.date) -> ErasedTexts:
        """Deletes notes, blanks goal and milestone texts (aims, statuses and dates stay), and deletes
        the stored first answers of creating requests about the person: an answer to a goal or note
        created with an Idempotency-Key repeats its text."""
        await self._connection.execute(
            "INSERT INTO case_work_erasures (participant_id, erased_on) VALUES ($1, $2) "
            "ON CONFLICT (participant_id) DO NOTHING",
            participant_id,
            erased_on,
        )
        notes = await self._connection.execute(
            "DELETE FROM progress_notes WHERE participant_id = $1", participant_id
        )
        milestones = await self._connection.execute(
            "UPDATE plan_milestones SET text = NULL, updated_at = now() "
            "WHERE text IS NOT NULL AND goal_id IN "
            "(SELECT goal_id FROM plan_goals WHERE participant_id = $1)",
            participant_id,
        )
        goals = await self._connection.execute(
            "UPDATE plan_goals SET text = NULL, updated_at = now() "
            "WHERE participant_id = $1 AND text IS NOT NULL",
            participant_id,
        )
        answers = await self._connection.execute(
            "DELETE FROM idempotency_keys WHERE response->>'participant_id' = $1", str(participant_id)
        )
        return ErasedTexts(_count(notes), _count(goals), _count(milestones), _count(answers))

    async def erased_on(self, participant_id: uuid.UUID) -> dt.date | None:
        erased: dt.date | None = await self._connection.fetchval(
            "SELECT erased_on FROM case_work_erasures WHERE participant_id = $1", participant_id
        )
        return erased


def _count(status: str) -> int:
    """`DELETE 3` / `UPDATE 2` → 3 / 2."""
    return int(status.rsplit(" ", 1)[-1])
