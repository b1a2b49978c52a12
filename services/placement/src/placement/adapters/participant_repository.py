"""Participants in placement's database: where each one stands, and the waitlists they form."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from placement.domain.participant import Participant, PlacementStatus
from placement.domain.workshop import Waitlist
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

_COLUMNS = """
    participant_id, status, preferred_work_areas, funder, enrolled_on, work_area, placed_on,
    from_waitlist, waiting_since, ended_on, exited_on
"""

_UPDATE = """
    UPDATE participants SET status = $2, preferred_work_areas = $3, funder = $4, enrolled_on = $5,
        work_area = $6, placed_on = $7, from_waitlist = $8, waiting_since = $9, ended_on = $10,
        exited_on = $11, updated_at = now(),
        -- A place in the queue is drawn once, when the person starts waiting, and kept meanwhile.
        waitlist_number = CASE WHEN $2 = 'waitlisted'
                               THEN coalesce(waitlist_number, nextval('waitlist_numbers')) END
    WHERE participant_id = $1
"""

_INSERT = """
    INSERT INTO participants (participant_id, status, preferred_work_areas, funder, enrolled_on,
        work_area, placed_on, from_waitlist, waiting_since, ended_on, exited_on, waitlist_number)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
            CASE WHEN $2 = 'waitlisted' THEN nextval('waitlist_numbers') END)
"""


class ParticipantRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection
        # Participants read in this transaction: saving one of them updates its row, saving any
        # other inserts one (a racing insert then fails and the event is tried again).
        self._seen: set[uuid.UUID] = set()

    async def get(self, participant_id: uuid.UUID) -> Participant | None:
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM participants WHERE participant_id = $1", participant_id
        )
        return self._remember(row)

    async def get_for_update(self, participant_id: uuid.UUID) -> Participant | None:
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id
        )
        return self._remember(row)

    async def waitlist_of(self, area: WorkArea) -> Waitlist:
        """The waitlist in fair order. Only changed under the workshop's lock, which the caller holds."""
        rows = await self._connection.fetch(
            f"SELECT {_COLUMNS} FROM participants WHERE status = 'waitlisted' AND work_area = $1 "
            "ORDER BY waitlist_number",
            area.value,
        )
        waiting = [self._remember(row) for row in rows]
        return Waitlist(work_area=area, waiting=[participant for participant in waiting if participant])

    async def save(self, participant: Participant) -> None:
        statement = _UPDATE if participant.participant_id in self._seen else _INSERT
        await self._connection.execute(
            statement,
            participant.participant_id,
            participant.status.value,
            [area.value for area in participant.preferred_work_areas],
            participant.funder.value if participant.funder else None,
            participant.enrolled_on,
            participant.work_area.value if participant.work_area else None,
            participant.placed_on,
            participant.from_waitlist,
            participant.waiting_since,
            participant.ended_on,
            participant.exited_on,
        )
        self._seen.add(participant.participant_id)

    def _remember(self, row: Any) -> Participant | None:
        if row is None:
            return None
        self._seen.add(row["participant_id"])
        return _participant_from(row)


def _participant_from(row: Any) -> Participant:
    return Participant(
        participant_id=row["participant_id"],
        status=PlacementStatus(row["status"]),
        preferred_work_areas=tuple(WorkArea(area) for area in row["preferred_work_areas"]),
        funder=Funder(row["funder"]) if row["funder"] else None,
        enrolled_on=row["enrolled_on"],
        work_area=WorkArea(row["work_area"]) if row["work_area"] else None,
        placed_on=row["placed_on"],
        from_waitlist=row["from_waitlist"],
        waiting_since=row["waiting_since"],
        ended_on=row["ended_on"],
        exited_on=row["exited_on"],
    )
