"""Referrals in intake's own database (the only place personal data is stored)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from intake.domain.referral import Enrolment, PersonalDetails, Referral, ReferralStatus
from werkstattnetz_shared.events.vocabulary import AgeBand, Funder, ReferralSource, WorkArea

_COLUMNS = """
    referral_id, first_name, last_name, birth_date, email, phone, referral_source, funder,
    preferred_work_areas, consent_to_data_processing, received_at, status, participant_id,
    enrolled_on, age_band
"""


class ReferralRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, referral: Referral) -> None:
        person = referral.person
        await self._connection.execute(
            """
            INSERT INTO referrals (referral_id, first_name, last_name, birth_date, email, phone,
                referral_source, funder, preferred_work_areas, consent_to_data_processing,
                received_at, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """,
            referral.referral_id,
            person.first_name,
            person.last_name,
            person.birth_date,
            person.email,
            person.phone,
            referral.referral_source.value,
            referral.funder.value,
            [area.value for area in referral.preferred_work_areas],
            referral.consent_to_data_processing,
            referral.received_at,
            referral.status.value,
        )

    async def get_for_update(self, referral_id: uuid.UUID) -> Referral | None:
        """Locks the row so two concurrent enrolments of one referral cannot both succeed."""
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM referrals WHERE referral_id = $1 FOR UPDATE", referral_id
        )
        return _referral_from(row) if row else None

    async def get_by_participant(self, participant_id: uuid.UUID) -> Referral | None:
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM referrals WHERE participant_id = $1", participant_id
        )
        return _referral_from(row) if row else None

    async def save(self, referral: Referral) -> None:
        enrolment = referral.enrolment
        await self._connection.execute(
            """
            UPDATE referrals SET status = $2, consent_to_data_processing = $3, participant_id = $4,
                enrolled_on = $5, age_band = $6
            WHERE referral_id = $1
            """,
            referral.referral_id,
            referral.status.value,
            referral.consent_to_data_processing,
            enrolment.participant_id if enrolment else None,
            enrolment.enrolled_on if enrolment else None,
            enrolment.age_band.value if enrolment else None,
        )

    async def list_page(
        self, *, status: ReferralStatus | None, after: uuid.UUID | None, limit: int
    ) -> list[Referral]:
        """Oldest first, keyset-paginated by (received_at, referral_id)."""
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM referrals
            WHERE ($1::text IS NULL OR status = $1)
              AND ($2::uuid IS NULL OR (received_at, referral_id) >
                   (SELECT received_at, referral_id FROM referrals WHERE referral_id = $2))
            ORDER BY received_at, referral_id
            LIMIT $3
            """,
            status.value if status else None,
            after,
            limit,
        )
        return [_referral_from(row) for row in rows]


def _referral_from(row: Any) -> Referral:
    enrolment = None
    if row["participant_id"] is not None:
        enrolment = Enrolment(
            participant_id=row["participant_id"],
            enrolled_on=row["enrolled_on"],
            age_band=AgeBand(row["age_band"]),
            referral_source=ReferralSource(row["referral_source"]),
            funder=Funder(row["funder"]),
            preferred_work_areas=tuple(WorkArea(area) for area in row["preferred_work_areas"]),
        )
    return Referral(
        referral_id=row["referral_id"],
        person=PersonalDetails(
            first_name=row["first_name"],
            last_name=row["last_name"],
            birth_date=row["birth_date"],
            email=row["email"],
            phone=row["phone"],
        ),
        referral_source=ReferralSource(row["referral_source"]),
        funder=Funder(row["funder"]),
        preferred_work_areas=tuple(WorkArea(area) for area in row["preferred_work_areas"]),
        consent_to_data_processing=row["consent_to_data_processing"],
        received_at=row["received_at"],
        status=ReferralStatus(row["status"]),
        enrolment=enrolment,
    )
