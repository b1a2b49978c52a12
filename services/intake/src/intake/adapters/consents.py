"""Consents in intake's database."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import asyncpg

from intake.domain.consent import Consent, ConsentGiver
from werkstattnetz_shared.events.vocabulary import ConsentPurpose

_COLUMNS = "consent_id, participant_id, purpose, given_on, given_by, guardian_name, withdrawn_on"

# A column (JSON text) of every consent of the person `p` of the surrounding query, in the order
# `of_person` reads them: lets a read of the person bring their consents in the same round trip.
CONSENTS_OF_P = f"""(SELECT coalesce(json_agg(json_build_object({
    ", ".join(f"'{column.strip()}', c.{column.strip()}" for column in _COLUMNS.split(","))
}) ORDER BY c.given_on, c.recorded_at), '[]') FROM consents c WHERE c.participant_id = p.participant_id)"""


class ConsentRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, consent: Consent, *, recorded_by: str) -> None:
        await self._connection.execute(
            """
            INSERT INTO consents (consent_id, participant_id, purpose, given_on, given_by, guardian_name,
                withdrawn_on, recorded_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            consent.consent_id,
            consent.participant_id,
            consent.purpose.value,
            consent.given_on,
            consent.given_by.value,
            consent.guardian_name,
            consent.withdrawn_on,
            recorded_by,
        )

    async def of_person(self, participant_id: uuid.UUID) -> list[Consent]:
        rows = await self._connection.fetch(
            f"SELECT {_COLUMNS} FROM consents WHERE participant_id = $1 ORDER BY given_on, recorded_at",
            participant_id,
        )
        return [_consent_from(row) for row in rows]

    async def get_for_update(self, participant_id: uuid.UUID, consent_id: uuid.UUID) -> Consent | None:
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM consents WHERE participant_id = $1 AND consent_id = $2 FOR UPDATE",
            participant_id,
            consent_id,
        )
        return _consent_from(row) if row else None

    async def save_withdrawal(self, consent: Consent) -> None:
        await self._connection.execute(
            "UPDATE consents SET withdrawn_on = $2 WHERE consent_id = $1",
            consent.consent_id,
            consent.withdrawn_on,
        )

    async def erase_guardian_names(self, participant_id: uuid.UUID) -> None:
        await self._connection.execute(
            "UPDATE consents SET guardian_name = NULL WHERE participant_id = $1", participant_id
        )


def consents_from_json(text: str) -> list[Consent]:
    """The consents of a `CONSENTS_OF_P` column."""
    return [
        Consent(
            consent_id=uuid.UUID(item["consent_id"]),
            participant_id=uuid.UUID(item["participant_id"]),
            purpose=ConsentPurpose(item["purpose"]),
            given_on=dt.date.fromisoformat(item["given_on"]),
            given_by=ConsentGiver(item["given_by"]),
            guardian_name=item["guardian_name"],
            withdrawn_on=dt.date.fromisoformat(item["withdrawn_on"]) if item["withdrawn_on"] else None,
        )
        for item in json.loads(text)
    ]


def _consent_from(row: Any) -> Consent:
    return Consent(
        consent_id=row["consent_id"],
        participant_id=row["participant_id"],
        purpose=ConsentPurpose(row["purpose"]),
        given_on=row["given_on"],
        given_by=ConsentGiver(row["given_by"]),
        guardian_name=row["guardian_name"],
        withdrawn_on=row["withdrawn_on"],
    )
