"""Progress notes in outcomes' own database, per stay, newest first."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from outcomes.domain.progress_note import ProgressNote


class ProgressNoteRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, participant_id: uuid.UUID, note: ProgressNote) -> None:
        await self._connection.execute(
            "INSERT INTO progress_notes (note_id, participant_id, stay, goal_id, text, written_on, author) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            note.note_id,
            participant_id,
            note.stay,
            note.goal_id,
            note.text,
            note.written_on,
            note.author,
        )

    async def page(
        self,
        participant_id: uuid.UUID,
        stay: int,
        *,
        goal_id: uuid.UUID | None,
        limit: int,
        offset: int,
    ) -> tuple[list[ProgressNote], int]:
        """One page of the stay's notes (of one goal, if named), newest first, and how many in all."""
        rows = await self._connection.fetch(
            """
            SELECT note_id, stay, goal_id, text, written_on, author, count(*) OVER () AS total
            FROM progress_notes
            WHERE participant_id = $1 AND stay = $2 AND ($3::uuid IS NULL OR goal_id = $3)
            ORDER BY written_on DESC, created_at DESC, note_id
            LIMIT $4 OFFSET $5
            """,
            participant_id,
            stay,
            goal_id,
            limit,
            offset,
        )
        if rows:
            return [_note_from(row) for row in rows], rows[0]["total"]
        total = await self._connection.fetchval(
            "SELECT count(*) FROM progress_notes WHERE participant_id = $1 AND stay = $2 "
            "AND ($3::uuid IS NULL OR goal_id = $3)",
            participant_id,
            stay,
            goal_id,
        )
        return [], total


def _note_from(row: Any) -> ProgressNote:
    return ProgressNote(
        note_id=row["note_id"],
        stay=row["stay"],
        goal_id=row["goal_id"],
        text=row["text"],
        written_on=row["written_on"],
        author=row["author"],
    )
