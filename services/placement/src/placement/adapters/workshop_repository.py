"""Workshops in placement's database: their capacities, and locking them while seats are decided."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import asyncpg

from placement.domain.workshop import Workshop
from werkstattnetz_shared.events.vocabulary import WorkArea


class WorkshopRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def sync_capacities(self, capacities: Mapping[WorkArea, int]) -> None:
        """Make the table say what the configuration says (a config change applies on restart)."""
        await self._connection.executemany(
            """
            INSERT INTO workshops (work_area, capacity) VALUES ($1, $2)
            ON CONFLICT (work_area) DO UPDATE SET capacity = EXCLUDED.capacity, updated_at = now()
            WHERE workshops.capacity IS DISTINCT FROM EXCLUDED.capacity
            """,
            [(area.value, seats) for area, seats in capacities.items()],
        )

    async def lock(self, areas: Iterable[WorkArea]) -> dict[WorkArea, Workshop]:
        """Lock the workshops' rows until the transaction ends, then count their taken seats.

        Rows are locked in one fixed order so two transactions never wait for each other in a
        circle. The count is a second statement on purpose: under READ COMMITTED each statement
        sees what was committed when it started, so counting after the lock is granted includes
        the seat a transaction we waited for has just taken. Counting in the locking statement
        would read the older snapshot and could overbook.
        """
        wanted = sorted({area.value for area in areas})
        rows = await self._connection.fetch(
            "SELECT work_area, capacity FROM workshops WHERE work_area = ANY($1::text[]) "
            "ORDER BY work_area FOR UPDATE",
            wanted,
        )
        if len(rows) != len(wanted):
            missing = set(wanted) - {row["work_area"] for row in rows}
            raise LookupError(f"workshops not configured: {sorted(missing)}")
        counted = await self._connection.fetch(
            "SELECT work_area, count(*) AS seated FROM participants "
            "WHERE status = 'placed' AND work_area = ANY($1::text[]) GROUP BY work_area",
            wanted,
        )
        occupied: dict[str, int] = {row["work_area"]: row["seated"] for row in counted}
        return {
            WorkArea(row["work_area"]): Workshop(
                work_area=WorkArea(row["work_area"]),
                capacity=row["capacity"],
                occupied=occupied.get(row["work_area"], 0),
            )
            for row in rows
        }
