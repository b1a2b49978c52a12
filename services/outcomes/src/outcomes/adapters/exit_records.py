"""Reading the exits of a report's period, straight from the table (the report picks a funder's)."""

from __future__ import annotations

import asyncpg

from outcomes.domain.report import ReportPeriod
from outcomes.domain.stay import Exit, ExitDetails
from werkstattnetz_shared.events.vocabulary import Destination, ExitReason, Funder, NextStep, WorkArea


class ExitRecords:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def exits_in(self, period: ReportPeriod) -> list[Exit]:
        """Every stay's exit dated within the period (a re-entered participant's exits each count)."""
        rows = await self._connection.fetch(
            """
            SELECT stay, destination, exit_date, integrated, work_area, funder, funders, reason,
                   next_step, jobcenter_integrated, recorded_at
            FROM exits
            WHERE ($1::date IS NULL OR exit_date >= $1)
              AND ($2::date IS NULL OR exit_date <= $2)
            """,
            period.exited_from,
            period.exited_to,
        )
        return [
            Exit(
                destination=Destination(row["destination"]),
                exit_date=row["exit_date"],
                integrated=row["integrated"],
                work_area=WorkArea(row["work_area"]) if row["work_area"] else None,
                funder=Funder(row["funder"]),
                funders=tuple(Funder(funder) for funder in row["funders"]),
                stay=row["stay"],
                details=ExitDetails(
                    reason=ExitReason(row["reason"]) if row["reason"] else None,
                    next_step=NextStep(row["next_step"]) if row["next_step"] else None,
                ),
                jobcenter_integrated=row["jobcenter_integrated"],
                recorded_at=row["recorded_at"],
            )
            for row in rows
        ]
