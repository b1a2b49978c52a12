"""Attendance in placement's database: the workshop and spells it is checked against, the entries
with their earlier versions, and the days of unexcused runs already reported."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from typing import Any

import asyncpg

from placement.domain.absence_streaks import DayRecorded, UnexcusedStreak
from placement.domain.attendance import (
    AttendanceChanges,
    AttendanceRecord,
    AttendanceStatus,
    AttendanceWorkshop,
)
from werkstattnetz_shared.events.vocabulary import WorkArea

# The first key of the advisory locks that serialise attendance writes per participant.
PARTICIPANT_ATTENDANCE_LOCKS = 7001

_RECORD_COLUMNS = "participant_id, day, workshop_id, status, hours_present, version, recorded_by, recorded_at"


class AttendanceRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def workshop(self, workshop_id: uuid.UUID) -> AttendanceWorkshop | None:
        row = await self._connection.fetchrow(
            "SELECT workshop_id, work_area, lead_instructor, opening_days FROM workshops "
            "WHERE workshop_id = $1",
            workshop_id,
        )
        return workshop_from(row) if row else None

    async def placed_in(self, workshop_id: uuid.UUID, day: dt.date) -> set[uuid.UUID]:
        """Who sits in the workshop on `day`: a spell that began by then and had not ended before."""
        rows = await self._connection.fetch(
            "SELECT participant_id FROM placement_spells "
            "WHERE workshop_id = $1 AND placed_on <= $2 AND (ended_on IS NULL OR ended_on >= $2)",
            workshop_id,
            day,
        )
        return {row["participant_id"] for row in rows}

    async def lock_participants(self, participant_ids: Collection[uuid.UUID]) -> None:
        """Serialise writes of the same participants' attendance until the transaction ends.

        A run of unexcused days is judged from the participant's other days, so two requests
        recording different days of one person must not each miss the other's day. The locks are
        taken in key order (the sorted subquery is not flattened), so bulk requests never wait for
        each other in a circle.
        """
        await self._connection.execute(
            """
            SELECT pg_advisory_xact_lock($1, key)
            FROM (SELECT DISTINCT hashtext(id::text) AS key
                  FROM unnest($2::uuid[]) AS id ORDER BY key) AS keys
            """,
            PARTICIPANT_ATTENDANCE_LOCKS,
            list(participant_ids),
        )

    async def records_on(
        self, participant_ids: Collection[uuid.UUID], day: dt.date
    ) -> dict[uuid.UUID, AttendanceRecord]:
        rows = await self._connection.fetch(
            f"SELECT {_RECORD_COLUMNS} FROM attendance WHERE participant_id = ANY($1::uuid[]) AND day = $2",
            list(participant_ids),
            day,
        )
        return {row["participant_id"]: record_from(row) for row in rows}

    async def save(self, changes: AttendanceChanges) -> None:
        """New entries are inserted; a correction keeps the version it replaces in the history."""
        if changes.new:
            await self._connection.executemany(
                f"INSERT INTO attendance ({_RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                [_record_values(record) for record in changes.new],
            )
        for correction in changes.corrected:
            earlier, now = correction.earlier, correction.now
            await self._connection.execute(
                f"INSERT INTO attendance_history ({_RECORD_COLUMNS}, replaced_by, replaced_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                *_record_values(earlier),
                now.recorded_by,
                now.recorded_at,
            )
            await self._connection.execute(
                "UPDATE attendance SET status = $3, hours_present = $4, version = $5, recorded_by = $6, "
                "recorded_at = $7 WHERE participant_id = $1 AND day = $2",
                now.participant_id,
                now.day,
                now.status.value,
                now.hours_present,
                now.version,
                now.recorded_by,
                now.recorded_at,
            )

    async def days_around(self, participant_id: uuid.UUID, day: dt.date) -> list[DayRecorded]:
        """The participant's entries around `day` up to the nearest one of another status than
        unexcused on each side: enough to find the run of unexcused days through `day`."""
        rows = await self._connection.fetch(
            """
            WITH bounds AS (
                SELECT (SELECT max(day) FROM attendance
                        WHERE participant_id = $1 AND day < $2 AND status <> 'unexcused') AS after_day,
                       (SELECT min(day) FROM attendance
                        WHERE participant_id = $1 AND day > $2 AND status <> 'unexcused') AS before_day
            )
            SELECT a.day, a.status, a.workshop_id, w.work_area
            FROM attendance a JOIN workshops w USING (workshop_id), bounds
            WHERE a.participant_id = $1
              AND a.day >= coalesce(bounds.after_day, '-infinity'::date)
              AND a.day <= coalesce(bounds.before_day, 'infinity'::date)
            ORDER BY a.day
            """,
            participant_id,
            day,
        )
        return [
            DayRecorded(
                day=row["day"],
                status=AttendanceStatus(row["status"]),
                workshop_id=row["workshop_id"],
                work_area=WorkArea(row["work_area"]),
            )
            for row in rows
        ]

    async def claim_streak_days(self, streak: UnexcusedStreak) -> set[dt.date]:
        """Remember the run's days as reported; returns those some earlier run claimed already.

        The primary key decides: of two transactions claiming the same day, the second waits for
        the first and finds the day taken once it committed.
        """
        rows = await self._connection.fetch(
            """
            WITH wanted AS (SELECT unnest($2::date[]) AS day),
                 claimed AS (
                     INSERT INTO absence_streak_days (participant_id, day)
                     SELECT $1, day FROM wanted
                     ON CONFLICT DO NOTHING
                     RETURNING day
                 )
            SELECT day FROM wanted EXCEPT SELECT day FROM claimed
            """,
            streak.participant_id,
            list(streak.days),
        )
        return {row["day"] for row in rows}

    async def remember_reported(self, streak: UnexcusedStreak, event_id: uuid.UUID) -> None:
        await self._connection.execute(
            """
            INSERT INTO absence_streaks (participant_id, workshop_id, streak_started_on, streak_ended_on,
                                         unexcused_days, threshold, event_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            streak.participant_id,
            streak.workshop_id,
            streak.started_on,
            streak.ended_on,
            streak.length,
            streak.threshold,
            event_id,
        )


def workshop_from(row: Any) -> AttendanceWorkshop:
    return AttendanceWorkshop(
        workshop_id=row["workshop_id"],
        work_area=WorkArea(row["work_area"]),
        lead_instructor=row["lead_instructor"],
        opening_days=frozenset(row["opening_days"]),
    )


def record_from(row: Any) -> AttendanceRecord:
    return AttendanceRecord(
        participant_id=row["participant_id"],
        day=row["day"],
        workshop_id=row["workshop_id"],
        status=AttendanceStatus(row["status"]),
        hours_present=row["hours_present"],
        version=row["version"],
        recorded_by=row["recorded_by"],
        recorded_at=row["recorded_at"],
    )


def _record_values(record: AttendanceRecord) -> tuple[Any, ...]:
    return (
        record.participant_id,
        record.day,
        record.workshop_id,
        record.status.value,
        record.hours_present,
        record.version,
        record.recorded_by,
        record.recorded_at,
    )
