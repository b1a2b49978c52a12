"""Reading the exits a report counts: selected by exit date and funder, straight from the table."""

from __future__ import annotations

import asyncpg

from outcomes.domain.participant import Exit
from outcomes.domain.report import ReportPeriod
from werkstattnetz_shared.events.vocabulary import Destination, Funder, WorkArea


class ExitRecords:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def exits_in(self, period: ReportPeriod, funder: Funder | None) -> list[Exit]:
        rows = await self._connection.fetch(
            """
            SELECT destination, exit_date, integrated, work_area, funder FROM exits
            WHERE ($1::date IS NULL OR exit_date >= $1)
              AND ($2::date IS NULL OR exit_date <= $2)
              AND ($3::text IS NULL OR funder = $3)
            """,
            period.exited_from,
            period.exited_to,
            funder.value if funder else None,
        )
        return [
            Exit(
                destination=Destination(row["destination"]),
                exit_date=row["exit_date"],
                integrated=row["integrated"],
                work_area=WorkArea(row["work_area"]) if row["work_area"] else None,
                funder=Funder(row["funder"]),
            )
            for row in rows
        ]
