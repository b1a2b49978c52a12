"""Participant records and their exits in outcomes' own database (pseudonymous ids only)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from outcomes.domain.participant import Enrolment, Exit, ParticipantRecord, ParticipantStatus
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea

_SELECT = """
    SELECT p.participant_id, p.status, p.enrolled_on, p.funder, p.age_band, p.referral_source,
           p.work_area, p.waitlisted_for, e.destination, e.exit_date, e.integrated,
           e.work_area AS exit_work_area, e.funder AS exit_funder
    FROM participants p LEFT JOIN exits e ON e.participant_id = p.participant_id
    WHERE p.participant_id = $1
"""


class ParticipantRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def get(self, participant_id: uuid.UUID) -> ParticipantRecord | None:
        row = await self._connection.fetchrow(_SELECT, participant_id)
        return _record_from(row) if row else None

    async def get_for_update(self, participant_id: uuid.UUID) -> ParticipantRecord | None:
        """Locks the row, so two concurrent exits of one participant cannot both succeed."""
        # Lock first, read after, in two statements: a single `SELECT … LEFT JOIN exits … FOR
        # UPDATE` that waited for the lock would still show the join as it was before the wait,
        # missing an exit the other transaction has just committed.
        locked = await self._connection.fetchval(
            "SELECT true FROM participants WHERE participant_id = $1 FOR UPDATE", participant_id
        )
        return await self.get(participant_id) if locked else None

    async def get_or_start_for_update(self, participant_id: uuid.UUID) -> ParticipantRecord:
        """The participant's record, created empty first if this is the first news of them.

        Inserting before locking means two consumers hearing of a new participant at once (say its
        enrolment and its placement, from two topics) queue on one row instead of both inserting
        and one overwriting the other.
        """
        await self._connection.execute(
            "INSERT INTO participants (participant_id, status) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            participant_id,
            ParticipantStatus.ENROLLED.value,
        )
        record = await self.get_for_update(participant_id)
        assert record is not None  # inserted or already there, and rows are never deleted here
        return record

    async def save(self, record: ParticipantRecord) -> None:
        enrolment = record.enrolment
        await self._connection.execute(
            """
            UPDATE participants SET status = $2, enrolled_on = $3, funder = $4, age_band = $5,
                referral_source = $6, work_area = $7, waitlisted_for = $8, updated_at = now()
            WHERE participant_id = $1
            """,
            record.participant_id,
            record.status.value,
            enrolment.enrolled_on if enrolment else None,
            enrolment.funder.value if enrolment else None,
            enrolment.age_band.value if enrolment else None,
            enrolment.referral_source.value if enrolment else None,
            record.work_area.value if record.work_area else None,
            record.waitlisted_for.value if record.waitlisted_for else None,
        )

    async def add_exit(self, participant_id: uuid.UUID, exit_: Exit, *, recorded_by: str) -> None:
        await self._connection.execute(
            """
            INSERT INTO exits (participant_id, destination, exit_date, integrated, work_area, funder,
                recorded_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            participant_id,
            exit_.destination.value,
            exit_.exit_date,
            exit_.integrated,
            exit_.work_area.value if exit_.work_area else None,
            exit_.funder.value,
            recorded_by,
        )


def _record_from(row: Any) -> ParticipantRecord:
    enrolment = None
    if row["enrolled_on"] is not None:
        enrolment = Enrolment(
            enrolled_on=row["enrolled_on"],
            funder=Funder(row["funder"]),
            age_band=AgeBand(row["age_band"]),
            referral_source=ReferralSource(row["referral_source"]),
        )
    exit_ = None
    if row["destination"] is not None:
        exit_ = Exit(
            destination=Destination(row["destination"]),
            exit_date=row["exit_date"],
            integrated=row["integrated"],
            work_area=_area(row["exit_work_area"]),
            funder=Funder(row["exit_funder"]),
        )
    return ParticipantRecord(
        participant_id=row["participant_id"],
        status=ParticipantStatus(row["status"]),
        enrolment=enrolment,
        work_area=_area(row["work_area"]),
        waitlisted_for=_area(row["waitlisted_for"]),
        exit=exit_,
    )


def _area(value: str | None) -> WorkArea | None:
    return WorkArea(value) if value is not None else None
