"""Historical placement spells (imported, ended stays) in placement's database."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from placement.domain.historical_stay import EndedHistoricalStay


class HistoricalStayRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, stay: EndedHistoricalStay) -> None:
        """Once per stay: the enrolment id decides (a redelivery changes nothing)."""
        await self._connection.execute(
            """
            INSERT INTO historical_stays (enrolment_id, participant_id, work_area, enrolled_on, placed_on,
                exit_date)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (enrolment_id) DO NOTHING
            """,
            stay.enrolment_id,
            stay.participant_id,
            stay.work_area.value,
            stay.enrolled_on,
            stay.placed_on,
            stay.exit_date,
        )

    async def ended_on(self, participant_id: uuid.UUID, exit_date: dt.date) -> bool:
        """Whether an imported stay of the participant ended on this day."""
        found: bool = await self._connection.fetchval(
            "SELECT EXISTS (SELECT 1 FROM historical_stays WHERE participant_id = $1 AND exit_date = $2)",
            participant_id,
            exit_date,
        )
        return found
