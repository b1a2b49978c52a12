"""Read-only views for the HTTP API, each one query; only the pseudonymous id leaves this service."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import asyncpg

from placement.domain.participant import PlacementStatus
from placement.domain.workshop import Workshop
from werkstattnetz_shared.events.vocabulary import WorkArea


@dataclass(frozen=True)
class WorkshopOccupancy:
    workshop: Workshop
    waitlist_length: int


@dataclass(frozen=True)
class ParticipantPlacement:
    participant_id: uuid.UUID
    status: PlacementStatus
    work_area: WorkArea | None
    placed_on: dt.date | None
    from_waitlist: bool
    waitlist_position: int | None
    waiting_since: dt.datetime | None
    ended_on: dt.date | None
    exited_on: dt.date | None
    stay: int
    enrolment_id: uuid.UUID | None
    held_re_entries: int


@dataclass(frozen=True)
class WaitlistSpot:
    participant_id: uuid.UUID
    position: int
    waiting_since: dt.datetime


class PlacementReadModels:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def workshops(self) -> list[WorkshopOccupancy]:
        rows = await self._connection.fetch(
            """
            SELECT w.work_area, w.capacity,
                   count(*) FILTER (WHERE p.status = 'placed') AS occupied,
                   count(*) FILTER (WHERE p.status = 'waitlisted') AS waitlist_length
            FROM workshops w LEFT JOIN participants p ON p.work_area = w.work_area
            GROUP BY w.work_area, w.capacity
            ORDER BY w.work_area
            """
        )
        return [
            WorkshopOccupancy(
                workshop=Workshop(
                    work_area=WorkArea(row["work_area"]), capacity=row["capacity"], occupied=row["occupied"]
                ),
                waitlist_length=row["waitlist_length"],
            )
            for row in rows
        ]

    async def placement_of(self, participant_id: uuid.UUID) -> ParticipantPlacement | None:
        row = await self._connection.fetchrow(
            """
            SELECT p.participant_id, p.status, p.work_area, p.placed_on, p.from_waitlist,
                   p.waiting_since, p.ended_on, p.exited_on, p.stay, p.enrolment_id,
                   jsonb_array_length(p.held_enrolments) AS held_re_entries,
                   CASE WHEN p.status = 'waitlisted' THEN
                       (SELECT count(*) FROM participants ahead
                        WHERE ahead.status = 'waitlisted' AND ahead.work_area = p.work_area
                          AND ahead.waitlist_number <= p.waitlist_number)
                   END AS waitlist_position
            FROM participants p WHERE p.participant_id = $1
            """,
            participant_id,
        )
        if row is None:
            return None
        return ParticipantPlacement(
            participant_id=row["participant_id"],
            status=PlacementStatus(row["status"]),
            work_area=WorkArea(row["work_area"]) if row["work_area"] else None,
            placed_on=row["placed_on"],
            from_waitlist=row["from_waitlist"],
            waitlist_position=row["waitlist_position"],
            waiting_since=row["waiting_since"],
            ended_on=row["ended_on"],
            exited_on=row["exited_on"],
            stay=row["stay"],
            enrolment_id=row["enrolment_id"],
            held_re_entries=row["held_re_entries"],
        )

    async def waitlist_page(
        self, area: WorkArea, *, limit: int, offset: int
    ) -> tuple[list[WaitlistSpot], int]:
        """One page of the waitlist in fair order, and how many wait in all."""
        rows = await self._connection.fetch(
            """
            SELECT participant_id, waiting_since,
                   row_number() OVER (ORDER BY waitlist_number) AS position,
                   count(*) OVER () AS total
            FROM participants WHERE status = 'waitlisted' AND work_area = $1
            ORDER BY waitlist_number
            LIMIT $2 OFFSET $3
            """,
            area.value,
            limit,
            offset,
        )
        total = rows[0]["total"] if rows else await self._waitlist_length(area)
        spots = [WaitlistSpot(row["participant_id"], row["position"], row["waiting_since"]) for row in rows]
        return spots, total

    async def _waitlist_length(self, area: WorkArea) -> int:
        length: int = await self._connection.fetchval(
            "SELECT count(*) FROM participants WHERE status = 'waitlisted' AND work_area = $1", area.value
        )
        return length
