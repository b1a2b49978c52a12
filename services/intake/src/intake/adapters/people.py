"""People in intake's database: the only place their personal data is kept."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from intake.domain.errors import SamePersonAlreadyKnown
from intake.domain.names import identity_key
from intake.domain.person import Person, PersonalDetails

_ATTEMPTS = 3

COLUMNS = """
    participant_id, first_name, last_name, birth_date, email, phone, jobcenter_customer_number,
    caseworker, erased_on
"""


class PeopleRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, person: Person) -> None:
        """Refuses a person intake knows already (the same name, as `identity_key` compares names,
        and birth date) with `SamePersonAlreadyKnown` naming them. The unique index decides, also
        between two requests adding the same person at once, so no lookup runs before the insert."""
        details = person.known_details
        for _ in range(_ATTEMPTS):
            added = await self._connection.fetchval(
                """
                INSERT INTO people (participant_id, first_name, last_name, birth_date, email, phone,
                    jobcenter_customer_number, identity_key)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT (identity_key, birth_date) WHERE erased_on IS NULL DO NOTHING
                RETURNING true
                """,
                person.participant_id,
                details.first_name,
                details.last_name,
                details.birth_date,
                details.email,
                details.phone,
                details.jobcenter_customer_number,
                identity_key(details.first_name, details.last_name),
            )
            if added:
                return
            if (known := await self.find_same_person(details)) is not None:
                raise SamePersonAlreadyKnown(
                    f"this person is known as participant {known.participant_id}: refer them again by "
                    "naming that participant id, or check the name and birth date",
                    known.participant_id,
                )
            # The one in the way was erased between the insert and the lookup: try again.
        raise RuntimeError(f"people with the identity of {person.participant_id} kept changing")

    async def get(self, participant_id: uuid.UUID, *, for_update: bool = False) -> Person | None:
        lock = " FOR UPDATE" if for_update else ""
        row = await self._connection.fetchrow(
            f"SELECT {COLUMNS} FROM people WHERE participant_id = $1{lock}", participant_id
        )
        return person_from(row) if row else None

    async def find_same_person(self, details: PersonalDetails) -> Person | None:
        row = await self._connection.fetchrow(
            f"SELECT {COLUMNS} FROM people WHERE identity_key = $1 AND birth_date = $2 AND erased_on IS NULL",
            identity_key(details.first_name, details.last_name),
            details.birth_date,
        )
        return person_from(row) if row else None

    async def save(self, person: Person) -> None:
        details = person.details
        await self._connection.execute(
            """
            UPDATE people SET first_name = $2, last_name = $3, birth_date = $4, email = $5, phone = $6,
                jobcenter_customer_number = $7, identity_key = $8, caseworker = $9, erased_on = $10
            WHERE participant_id = $1
            """,
            person.participant_id,
            details.first_name if details else None,
            details.last_name if details else None,
            details.birth_date if details else None,
            details.email if details else None,
            details.phone if details else None,
            details.jobcenter_customer_number if details else None,
            identity_key(details.first_name, details.last_name) if details else None,
            person.caseworker,
            person.erased_on,
        )


def person_from(row: Any) -> Person:
    """The person of a row with `COLUMNS`."""
    details = None
    # Erased people and people imported from a programme's history (never named) have no details.
    if row["first_name"] is not None:
        details = PersonalDetails(
            first_name=row["first_name"],
            last_name=row["last_name"],
            birth_date=row["birth_date"],
            email=row["email"],
            phone=row["phone"],
            jobcenter_customer_number=row["jobcenter_customer_number"],
        )
    erased_on: dt.date | None = row["erased_on"]
    return Person(
        participant_id=row["participant_id"],
        details=details,
        caseworker=row["caseworker"],
        erased_on=erased_on,
    )
