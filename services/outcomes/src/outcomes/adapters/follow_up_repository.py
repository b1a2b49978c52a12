"""Six-month follow-ups in outcomes' database: the durable schedule the timer reads, and the
records caseworkers add. Each row is read together with its exit's coarse facts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from outcomes.domain.follow_up import FollowUp, FollowUpStatus
from outcomes.domain.report import ReportPeriod
from werkstattnetz_shared.events.vocabulary import (
    Destination,
    FollowUpSituation,
    Funder,
    NextStep,
    WorkArea,
)

_FOLLOW_UPS = """
    SELECT f.follow_up_id, f.participant_id, f.stay, f.due_on, f.due_at, f.due_published_at,
           f.situation, f.recorded_on, e.exit_date, e.destination, e.integrated,
           e.jobcenter_integrated, e.funder, e.funders, e.next_step, e.work_area
    FROM follow_ups f JOIN exits e ON e.participant_id = f.participant_id AND e.stay = f.stay
"""

# Which rows each listed status is, as of $1 (now) with the grace period $2.
_STATUS_CONDITIONS: dict[FollowUpStatus, str] = {
    FollowUpStatus.SCHEDULED: "f.situation IS NULL AND f.due_at > $1",
    FollowUpStatus.DUE: "f.situation IS NULL AND f.due_at <= $1 AND f.due_at + $2::interval > $1",
    FollowUpStatus.OVERDUE: "f.situation IS NULL AND f.due_at + $2::interval <= $1",
    FollowUpStatus.RECORDED: "f.situation IS NOT NULL",
}


class FollowUpRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, follow_up: FollowUp) -> None:
        await self._connection.execute(
            "INSERT INTO follow_ups (follow_up_id, participant_id, stay, due_on, due_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            follow_up.follow_up_id,
            follow_up.participant_id,
            follow_up.stay,
            follow_up.due_on,
            follow_up.due_at,
        )

    async def get(self, follow_up_id: uuid.UUID) -> FollowUp | None:
        row = await self._connection.fetchrow(f"{_FOLLOW_UPS} WHERE f.follow_up_id = $1", follow_up_id)
        return _follow_up_from(row) if row else None

    async def get_for_update(self, follow_up_id: uuid.UUID) -> FollowUp | None:
        """Locks the row: a recording and the timer (or two recordings) take turns on it."""
        row = await self._connection.fetchrow(
            f"{_FOLLOW_UPS} WHERE f.follow_up_id = $1 FOR UPDATE OF f", follow_up_id
        )
        return _follow_up_from(row) if row else None

    async def next_to_announce_for_update(self, now: dt.datetime) -> FollowUp | None:
        """The earliest follow-up that fell due and was not announced; rows another transaction
        holds are skipped (another replica's timer, or a recording), never waited for."""
        row = await self._connection.fetchrow(
            f"""{_FOLLOW_UPS}
            WHERE f.due_published_at IS NULL AND f.due_at <= $1
            ORDER BY f.due_at, f.follow_up_id
            LIMIT 1
            FOR UPDATE OF f SKIP LOCKED
            """,
            now,
        )
        return _follow_up_from(row) if row else None

    async def next_deadline(self) -> dt.datetime | None:
        deadline: dt.datetime | None = await self._connection.fetchval(
            "SELECT min(due_at) FROM follow_ups WHERE due_published_at IS NULL"
        )
        return deadline

    async def mark_announced(self, follow_up_id: uuid.UUID, at: dt.datetime) -> None:
        await self._connection.execute(
            "UPDATE follow_ups SET due_published_at = $2 WHERE follow_up_id = $1", follow_up_id, at
        )

    async def save_record(self, follow_up: FollowUp, *, recorded_by: str) -> None:
        assert follow_up.situation is not None
        await self._connection.execute(
            "UPDATE follow_ups SET situation = $2, recorded_on = $3, recorded_by = $4, recorded_at = now() "
            "WHERE follow_up_id = $1",
            follow_up.follow_up_id,
            follow_up.situation.value,
            follow_up.recorded_on,
            recorded_by,
        )

    async def page(
        self,
        *,
        status: FollowUpStatus | None,
        participant_id: uuid.UUID | None,
        now: dt.datetime,
        grace: dt.timedelta,
        limit: int,
        offset: int,
    ) -> tuple[list[FollowUp], int]:
        """Oldest due first, then by id, so pages do not overlap."""
        condition = _STATUS_CONDITIONS[status] if status else "true"
        # Every parameter typed once, also where the status does not use it.
        where = (
            f"WHERE ({condition}) AND ($3::uuid IS NULL OR f.participant_id = $3) "
            "AND $1::timestamptz IS NOT NULL AND $2::interval IS NOT NULL"
        )
        total = await self._connection.fetchval(
            f"SELECT count(*) FROM follow_ups f {where}", now, grace, participant_id
        )
        rows = await self._connection.fetch(
            f"{_FOLLOW_UPS} {where} ORDER BY f.due_at, f.follow_up_id LIMIT $4 OFFSET $5",
            now,
            grace,
            participant_id,
            limit,
            offset,
        )
        return [_follow_up_from(row) for row in rows], int(total)

    async def of_participant(self, participant_id: uuid.UUID) -> list[FollowUp]:
        rows = await self._connection.fetch(
            f"{_FOLLOW_UPS} WHERE f.participant_id = $1 ORDER BY f.stay", participant_id
        )
        return [_follow_up_from(row) for row in rows]

    async def of_exits_in(self, period: ReportPeriod) -> list[FollowUp]:
        rows = await self._connection.fetch(
            f"""{_FOLLOW_UPS}
            WHERE ($1::date IS NULL OR e.exit_date >= $1) AND ($2::date IS NULL OR e.exit_date <= $2)
            """,
            period.exited_from,
            period.exited_to,
        )
        return [_follow_up_from(row) for row in rows]


def _follow_up_from(row: Any) -> FollowUp:
    return FollowUp(
        follow_up_id=row["follow_up_id"],
        participant_id=row["participant_id"],
        stay=row["stay"],
        exit_date=row["exit_date"],
        due_on=row["due_on"],
        due_at=row["due_at"],
        destination=Destination(row["destination"]),
        integrated=row["integrated"],
        jobcenter_integrated=row["jobcenter_integrated"],
        funder=Funder(row["funder"]),
        funders=tuple(Funder(funder) for funder in row["funders"]),
        next_step=NextStep(row["next_step"]) if row["next_step"] else None,
        work_area=WorkArea(row["work_area"]) if row["work_area"] else None,
        due_published=row["due_published_at"] is not None,
        situation=FollowUpSituation(row["situation"]) if row["situation"] else None,
        recorded_on=row["recorded_on"],
    )
