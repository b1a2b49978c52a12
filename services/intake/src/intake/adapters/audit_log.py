"""The audit log: who read or changed which person's data, when, and what they did.

It names the person only by participant id and never holds the data itself, so it survives an
erasure unchanged and still proves who saw what.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class AuditEntry:
    entry_id: int
    at: dt.datetime
    staff_subject: str
    action: str
    participant_id: uuid.UUID
    referral_id: uuid.UUID | None


@dataclass(frozen=True)
class AuditFilter:
    participant_id: uuid.UUID | None = None
    staff_subject: str | None = None
    at_from: dt.datetime | None = None
    at_to: dt.datetime | None = None


_INSERT = "INSERT INTO audit_log (staff_subject, action, participant_id, referral_id) VALUES ($1, $2, $3, $4)"


class AuditLog:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def record(
        self,
        *,
        staff_subject: str,
        action: str,
        participant_id: uuid.UUID,
        referral_id: uuid.UUID | None = None,
    ) -> None:
        # One row: a plain statement, one round trip (executemany pipelines, which costs more for one).
        await self._connection.execute(_INSERT, staff_subject, action, participant_id, referral_id)

    async def record_many(
        self, *, staff_subject: str, action: str, people: Iterable[tuple[uuid.UUID, uuid.UUID | None]]
    ) -> None:
        """One entry per person a list showed: each of them was seen."""
        await self._connection.executemany(
            _INSERT,
            [(staff_subject, action, participant_id, referral_id) for participant_id, referral_id in people],
        )

    async def page(
        self, where: AuditFilter, *, before_id: int | None, limit: int
    ) -> tuple[list[AuditEntry], bool]:
        """Newest first, keyset-paginated by entry id; and whether older entries follow."""
        rows = await self._connection.fetch(
            """
            SELECT id, at, staff_subject, action, participant_id, referral_id FROM audit_log
            WHERE ($1::uuid IS NULL OR participant_id = $1)
              AND ($2::text IS NULL OR staff_subject = $2)
              AND ($3::timestamptz IS NULL OR at >= $3)
              AND ($4::timestamptz IS NULL OR at < $4)
              AND ($5::bigint IS NULL OR id < $5)
            ORDER BY id DESC
            LIMIT $6
            """,
            where.participant_id,
            where.staff_subject,
            where.at_from,
            where.at_to,
            before_id,
            limit + 1,  # one more tells whether another page exists
        )
        entries = [
            AuditEntry(
                entry_id=row["id"],
                at=row["at"],
                staff_subject=row["staff_subject"],
                action=row["action"],
                participant_id=row["participant_id"],
                referral_id=row["referral_id"],
            )
            for row in rows[:limit]
        ]
        return entries, len(rows) > limit
