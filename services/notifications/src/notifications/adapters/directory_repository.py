"""The staff directory in notifications' database: who a token subject is, for notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg

from notifications.domain.directory import PreferredChannel, QuietHours, StaffMember
from notifications.domain.kinds import Language

_COLUMNS = "subject, email, roles, channel, language, quiet_from, quiet_until, active"


class StaffRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def get(self, subject: str, *, for_update: bool = False) -> StaffMember | None:
        """`for_update` locks the row until the transaction ends, for a read-change-write."""
        lock = "FOR UPDATE" if for_update else ""
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM staff_members WHERE subject = $1 {lock}", subject
        )
        return _member_from(row) if row else None

    async def active_members(self) -> list[StaffMember]:
        rows = await self._connection.fetch(
            f"SELECT {_COLUMNS} FROM staff_members WHERE active ORDER BY subject"
        )
        return [_member_from(row) for row in rows]

    async def upsert(self, member: StaffMember, now: dt.datetime) -> bool:
        """Creates or replaces the member; True when they were not in the directory before."""
        # xmax is 0 on a freshly inserted row version and set on one an update wrote.
        created: bool = await self._connection.fetchval(
            f"""
            INSERT INTO staff_members ({_COLUMNS}, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
            ON CONFLICT (subject) DO UPDATE SET email = EXCLUDED.email, roles = EXCLUDED.roles,
                channel = EXCLUDED.channel, language = EXCLUDED.language,
                quiet_from = EXCLUDED.quiet_from, quiet_until = EXCLUDED.quiet_until,
                active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
            RETURNING xmax = 0
            """,
            member.subject,
            member.email,
            sorted(member.roles),
            member.channel.value,
            member.language.value,
            member.quiet_hours.start if member.quiet_hours else None,
            member.quiet_hours.end if member.quiet_hours else None,
            member.active,
            now,
        )
        return created

    async def page(self, after_subject: str | None, limit: int, role: str | None) -> list[StaffMember]:
        """Ordered by subject, keyset-paginated: the page starts after `after_subject`."""
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM staff_members
            WHERE ($1::text IS NULL OR subject > $1)
              AND ($2::text IS NULL OR roles @> ARRAY[$2::text])
            ORDER BY subject
            LIMIT $3
            """,
            after_subject,
            role,
            limit,
        )
        return [_member_from(row) for row in rows]

    async def deactivate(self, subject: str) -> bool:
        """False when the directory does not know `subject`; deactivating twice is fine."""
        found = await self._connection.fetchval(
            """
            UPDATE staff_members SET active = false,
                updated_at = CASE WHEN active THEN now() ELSE updated_at END
            WHERE subject = $1 RETURNING true
            """,
            subject,
        )
        return bool(found)


def _member_from(row: Any) -> StaffMember:
    quiet_from, quiet_until = row["quiet_from"], row["quiet_until"]
    return StaffMember(
        subject=row["subject"],
        email=row["email"],
        roles=frozenset(row["roles"]),
        channel=PreferredChannel(row["channel"]),
        language=Language(row["language"]),
        quiet_hours=QuietHours(quiet_from, quiet_until) if quiet_from is not None else None,
        active=row["active"],
    )
