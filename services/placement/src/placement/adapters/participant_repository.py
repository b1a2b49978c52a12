"""Participants in placement's database: where each one stands, and the waitlists they form."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import asyncpg

from placement.domain.enrolment import Cause, Enrolment, HeldEnrolment
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.urgency import UrgencyReason
from placement.domain.waitlist import Place, Waitlist
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

_COLUMNS = """
    participant_id, status, preferred_work_areas, funder, enrolled_on, work_area, placed_on,
    from_waitlist, waiting_since, ended_on, exited_on, enrolment_id, stay, enrolment_ids,
    held_enrolments, exits_ahead, workshop_id, funders, enrolled_at, urgent, urgency_reason
"""

# The waitlist's fair order (see `domain.waitlist.fair_order`): urgent cases first, then by the
# moment of enrolment the event stated, then by id.
FAIR_ORDER = "urgent DESC, enrolled_at NULLS LAST, participant_id"

_UPDATE = """
    UPDATE participants SET status = $2, preferred_work_areas = $3, funder = $4, enrolled_on = $5,
        work_area = $6, placed_on = $7, from_waitlist = $8, waiting_since = $9, ended_on = $10,
        exited_on = $11, enrolment_id = $12, stay = $13, enrolment_ids = $14,
        held_enrolments = $15::jsonb, exits_ahead = $16, workshop_id = $17, funders = $18,
        enrolled_at = $19, urgent = $20, urgency_reason = $21, updated_at = now()
    WHERE participant_id = $1
"""

_INSERT = """
    INSERT INTO participants (participant_id, status, preferred_work_areas, funder, enrolled_on,
        work_area, placed_on, from_waitlist, waiting_since, ended_on, exited_on, enrolment_id, stay,
        enrolment_ids, held_enrolments, exits_ahead, workshop_id, funders, enrolled_at, urgent,
        urgency_reason)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18,
            $19, $20, $21)
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
        """The waitlist's places, in fair order. Only changed under the area's lock, which the
        caller holds. Three narrow columns from the fair-order index: every decision in the area
        reads the whole list, so whole participant rows would cost it dearly as the list grows."""
        rows = await self._connection.fetch(
            "SELECT participant_id, urgent, COALESCE(enrolled_at, waiting_since) AS queue_time "
            f"FROM participants WHERE status = 'waitlisted' AND work_area = $1 ORDER BY {FAIR_ORDER}",
            area.value,
        )
        return Waitlist(work_area=area, waiting=[Place(*row) for row in rows])

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
            participant.enrolment_id,
            participant.stay,
            sorted(participant.enrolment_ids),
            json.dumps([_held_as_json(held) for held in participant.held]),
            list(participant.exits_ahead),
            participant.workshop_id,
            [funder.value for funder in participant.funders],
            participant.enrolled_at,
            participant.urgent,
            participant.urgency_reason.value if participant.urgency_reason else None,
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
        enrolment_id=row["enrolment_id"],
        stay=row["stay"],
        enrolment_ids=frozenset(row["enrolment_ids"]),
        held=tuple(
            _held_from_json(row["participant_id"], held) for held in json.loads(row["held_enrolments"])
        ),
        exits_ahead=tuple(row["exits_ahead"]),
        workshop_id=row["workshop_id"],
        funders=tuple(Funder(funder) for funder in row["funders"]),
        enrolled_at=row["enrolled_at"],
        urgent=row["urgent"],
        urgency_reason=UrgencyReason(row["urgency_reason"]) if row["urgency_reason"] else None,
    )


def _held_as_json(held: HeldEnrolment) -> dict[str, Any]:
    enrolment = held.enrolment
    return {
        "enrolment_id": str(enrolment.enrolment_id) if enrolment.enrolment_id else None,
        "preferred_work_areas": [area.value for area in enrolment.preferred_work_areas],
        "funder": enrolment.funder.value,
        "enrolled_on": enrolment.enrolled_on.isoformat(),
        "re_entry": enrolment.re_entry,
        "enrolled_at": enrolment.enrolled_at.isoformat() if enrolment.enrolled_at else None,
        "funders": [funder.value for funder in enrolment.funders],
        "event_id": str(held.cause.event_id),
        "correlation_id": str(held.cause.correlation_id),
        "heard_at": held.heard_at.isoformat(),
    }


def _held_from_json(participant_id: uuid.UUID, held: dict[str, Any]) -> HeldEnrolment:
    return HeldEnrolment(
        enrolment=Enrolment(
            participant_id=participant_id,
            preferred_work_areas=tuple(WorkArea(area) for area in held["preferred_work_areas"]),
            funder=Funder(held["funder"]),
            enrolled_on=dt.date.fromisoformat(held["enrolled_on"]),
            enrolment_id=uuid.UUID(held["enrolment_id"]) if held["enrolment_id"] else None,
            re_entry=held["re_entry"],
            # Held before placement kept these: the moment it was heard stands in for the first.
            enrolled_at=dt.datetime.fromisoformat(held.get("enrolled_at") or held["heard_at"]),
            funders=tuple(Funder(funder) for funder in held.get("funders", [])),
        ),
        cause=Cause(event_id=uuid.UUID(held["event_id"]), correlation_id=uuid.UUID(held["correlation_id"])),
        heard_at=dt.datetime.fromisoformat(held["heard_at"]),
    )
