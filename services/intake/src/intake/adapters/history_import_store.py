"""Imported history in intake's database: people without personal data, their stays as enrolled
referrals, and which file (by its SHA-256) brought which spreadsheet record."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import asyncpg

from intake.domain.history_import import HistoricalStay


@dataclass(frozen=True)
class ImportedStay:
    stay: HistoricalStay
    participant_id: uuid.UUID
    referral_id: uuid.UUID
    enrolment_id: uuid.UUID
    re_entry: bool


class HistoryImportStore:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def import_of_file(self, file_sha256: str) -> uuid.UUID | None:
        found: uuid.UUID | None = await self._connection.fetchval(
            "SELECT import_id FROM history_imports WHERE file_sha256 = $1", file_sha256
        )
        return found

    async def known_keys(
        self, record_ids: Sequence[str], person_keys: Sequence[str]
    ) -> tuple[set[str], set[str]]:
        """Which of these spreadsheet ids an earlier import brought in already."""
        records = await self._connection.fetch(
            "SELECT record_id FROM imported_stays WHERE record_id = ANY($1::text[])", list(record_ids)
        )
        people = await self._connection.fetch(
            "SELECT DISTINCT person_key FROM imported_stays WHERE person_key = ANY($1::text[])",
            list(person_keys),
        )
        return {row["record_id"] for row in records}, {row["person_key"] for row in people}

    async def is_imported_exit(self, participant_id: uuid.UUID, exit_date: dt.date) -> bool:
        """Whether an imported stay ended with this exit: outcomes publishes those exits too, and
        they must not end the person's open stay here."""
        found: bool = await self._connection.fetchval(
            """
            SELECT EXISTS (SELECT 1 FROM imported_stays s JOIN referrals r USING (referral_id)
                           WHERE s.participant_id = $1 AND r.enrolment_ended_on = $2)
            """,
            participant_id,
            exit_date,
        )
        return found

    async def add(
        self, import_id: uuid.UUID, file_sha256: str, imported_by: str, stays: Sequence[ImportedStay]
    ) -> None:
        people = list(dict.fromkeys(stay.participant_id for stay in stays))
        await self._connection.execute(
            "INSERT INTO history_imports (import_id, file_sha256, imported_by, stays, people) "
            "VALUES ($1, $2, $3, $4, $5)",
            import_id,
            file_sha256,
            imported_by,
            len(stays),
            len(people),
        )
        await self._connection.executemany(
            "INSERT INTO people (participant_id, imported) VALUES ($1, true)", [(p,) for p in people]
        )
        await self._connection.executemany(
            """
            INSERT INTO referrals (referral_id, participant_id, referral_source, received_on, received_at,
                preferred_work_areas, re_entry, status, enrolment_id, enrolled_on, age_band, funding,
                main_funder, enrolment_ended_on)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 'enrolled', $8, $9, $10, $11::jsonb, $12, $13)
            """,
            list(_referral_rows(stays)),
        )
        await self._connection.executemany(
            "INSERT INTO imported_stays (record_id, person_key, participant_id, referral_id, import_id) "
            "VALUES ($1, $2, $3, $4, $5)",
            [
                (s.stay.record_id, s.stay.person_key, s.participant_id, s.referral_id, import_id)
                for s in stays
            ],
        )


def _referral_rows(stays: Iterable[ImportedStay]) -> Iterable[tuple[object, ...]]:
    for imported in stays:
        stay = imported.stay
        # A spreadsheet knows the day, not the moment; noon keeps the day in every time zone we use.
        received_at = dt.datetime.combine(stay.referred_on, dt.time(12), tzinfo=dt.UTC)
        # Historical funding is one funder paying the whole place, under a basis nobody recorded.
        funding = [{"funder": stay.funder.value, "legal_basis": "other", "share_percent": 100}]
        yield (
            imported.referral_id,
            imported.participant_id,
            stay.referral_source.value,
            stay.referred_on,
            received_at,
            [stay.work_area.value],
            imported.re_entry,
            imported.enrolment_id,
            stay.enrolled_on,
            stay.age_band.value,
            json.dumps(funding),
            stay.funder.value,
            stay.exit_date,
        )
