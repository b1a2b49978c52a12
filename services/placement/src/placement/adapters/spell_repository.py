"""Placement spells: who sat in which workshop from when to when, and why it ended.

Written from the decisions' events, in their order, so a transfer closes the old spell before it
opens the new one (at most one open spell per participant). Attendance and the absence report
are checked against these rows.
"""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

from placement.domain.events import Placed, PlacementEnded, PlacementEvent


class SpellRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def record(self, events: Iterable[PlacementEvent]) -> None:
        for event in events:
            if isinstance(event, Placed):
                await self._connection.execute(
                    "INSERT INTO placement_spells (participant_id, workshop_id, placed_on) "
                    "VALUES ($1, $2, $3)",
                    event.participant_id,
                    event.workshop_id,
                    event.placed_on,
                )
            elif isinstance(event, PlacementEnded):
                # An exit reported with a date before a late placement from the waitlist ends the
                # spell on its first day (a spell never ends before it began).
                await self._connection.execute(
                    """
                    UPDATE placement_spells SET ended_on = greatest($2, placed_on), end_reason = $3
                    WHERE participant_id = $1 AND ended_on IS NULL
                    """,
                    event.participant_id,
                    event.ended_on,
                    event.reason.value,
                )
