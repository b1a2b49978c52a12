"""Read-only views of attendance: a workshop's day sheet, its corrections, the month's report data.

Only pseudonymous participant ids leave these queries.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

import asyncpg

from placement.domain.absence_report import PlacedSpell, RecordedDay, ReportMonth
from placement.domain.attendance import AttendanceStatus, AttendanceWorkshop
from werkstattnetz_shared.events.vocabulary import Funder

# The report's one query over all attendance: the month's entries (day index), joined to the
# funded participants. Named so the scale test can look at its plan.
ENTRIES_OF_FUNDED_IN_MONTH = """
    SELECT a.participant_id, a.day, a.status, a.hours_present
    FROM attendance a JOIN participants p ON p.participant_id = a.participant_id
    WHERE a.day BETWEEN $2 AND $3 AND $1 = ANY (p.funders)
"""


@dataclass(frozen=True)
class SheetLine:
    """One participant on a workshop's day: placed that day, recorded that day, or both."""

    participant_id: uuid.UUID
    placed: bool
    status: AttendanceStatus | None
    hours_present: Decimal | None
    version: int | None
    recorded_by: str | None
    recorded_at: dt.datetime | None


@dataclass(frozen=True)
class AttendanceSheet:
    workshop: AttendanceWorkshop
    day: dt.date
    lines: list[SheetLine]


@dataclass(frozen=True)
class EntryVersion:
    version: int
    status: AttendanceStatus
    hours_present: Decimal
    recorded_by: str
    recorded_at: dt.datetime
    replaced_by: str | None
    replaced_at: dt.datetime | None


@dataclass(frozen=True)
class EntryHistory:
    participant_id: uuid.UUID
    versions: list[EntryVersion]
    """Oldest first; the last one is the current entry."""


class AttendanceReadModels:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def sheet(self, workshop: AttendanceWorkshop, day: dt.date) -> AttendanceSheet:
        rows = await self._connection.fetch(
            """
            WITH placed AS (
                SELECT DISTINCT participant_id FROM placement_spells
                WHERE workshop_id = $1 AND placed_on <= $2 AND (ended_on IS NULL OR ended_on >= $2)
            ),
            recorded AS (SELECT * FROM attendance WHERE workshop_id = $1 AND day = $2)
            SELECT coalesce(p.participant_id, r.participant_id) AS participant_id,
                   p.participant_id IS NOT NULL AS placed,
                   r.status, r.hours_present, r.version, r.recorded_by, r.recorded_at
            FROM placed p FULL JOIN recorded r ON r.participant_id = p.participant_id
            ORDER BY 1
            """,
            workshop.workshop_id,
            day,
        )
        lines = [
            SheetLine(
                participant_id=row["participant_id"],
                placed=row["placed"],
                status=AttendanceStatus(row["status"]) if row["status"] else None,
                hours_present=row["hours_present"],
                version=row["version"],
                recorded_by=row["recorded_by"],
                recorded_at=row["recorded_at"],
            )
            for row in rows
        ]
        return AttendanceSheet(workshop=workshop, day=day, lines=lines)

    async def history(self, workshop_id: uuid.UUID, day: dt.date) -> list[EntryHistory]:
        """Every version of the workshop's entries of the day, per participant, oldest first."""
        rows = await self._connection.fetch(
            """
            WITH current AS (SELECT * FROM attendance WHERE workshop_id = $1 AND day = $2)
            SELECT participant_id, version, status, hours_present, recorded_by, recorded_at,
                   NULL::text AS replaced_by, NULL::timestamptz AS replaced_at
            FROM current
            UNION ALL
            SELECT h.participant_id, h.version, h.status, h.hours_present, h.recorded_by, h.recorded_at,
                   h.replaced_by, h.replaced_at
            FROM attendance_history h
            WHERE h.participant_id IN (SELECT participant_id FROM current) AND h.day = $2
            ORDER BY participant_id, version
            """,
            workshop_id,
            day,
        )
        histories: dict[uuid.UUID, EntryHistory] = {}
        for row in rows:
            entry = histories.setdefault(row["participant_id"], EntryHistory(row["participant_id"], []))
            entry.versions.append(
                EntryVersion(
                    version=row["version"],
                    status=AttendanceStatus(row["status"]),
                    hours_present=row["hours_present"],
                    recorded_by=row["recorded_by"],
                    recorded_at=row["recorded_at"],
                    replaced_by=row["replaced_by"],
                    replaced_at=row["replaced_at"],
                )
            )
        return list(histories.values())

    async def spells_of_funded(self, funder: Funder, month: ReportMonth) -> list[PlacedSpell]:
        """The spells overlapping the month of everyone whose current stay the funder pays for."""
        rows = await self._connection.fetch(
            """
            SELECT s.participant_id, s.placed_on, s.ended_on, w.opening_days
            FROM placement_spells s
            JOIN participants p ON p.participant_id = s.participant_id
            JOIN workshops w ON w.workshop_id = s.workshop_id
            WHERE $1 = ANY (p.funders) AND s.placed_on <= $3 AND (s.ended_on IS NULL OR s.ended_on >= $2)
            """,
            funder.value,
            month.first_day,
            month.last_day,
        )
        return [
            PlacedSpell(
                participant_id=row["participant_id"],
                placed_on=row["placed_on"],
                ended_on=row["ended_on"],
                opening_days=frozenset(row["opening_days"]),
            )
            for row in rows
        ]

    async def records_of_funded(self, funder: Funder, month: ReportMonth) -> list[RecordedDay]:
        """The month's entries of everyone whose current stay the funder pays for."""
        rows = await self._connection.fetch(
            ENTRIES_OF_FUNDED_IN_MONTH,
            funder.value,
            month.first_day,
            month.last_day,
        )
        return [
            RecordedDay(
                participant_id=row["participant_id"],
                day=row["day"],
                status=AttendanceStatus(row["status"]),
                hours_present=row["hours_present"],
            )
            for row in rows
        ]
