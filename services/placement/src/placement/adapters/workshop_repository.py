"""The workshop catalogue in placement's database."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from placement.domain.errors import WorkshopNameMustBeUnique
from placement.domain.workshop import Workshop
from werkstattnetz_shared.events.vocabulary import WorkArea

_COLUMNS = "workshop_id, work_area, name, seats, lead_instructor, opening_days"


class WorkshopRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def get(self, workshop_id: uuid.UUID) -> Workshop | None:
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM workshops WHERE workshop_id = $1", workshop_id
        )
        return workshop_from(row) if row else None

    async def add(self, workshop: Workshop) -> None:
        """Raises `WorkshopNameMustBeUnique` when another workshop has the name already."""
        added = await self._connection.fetchval(
            f"""
            INSERT INTO workshops ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (name) DO NOTHING RETURNING true
            """,
            *_values(workshop),
        )
        if not added:
            await self._name_taken(workshop)

    async def save(self, workshop: Workshop) -> None:
        """The catalogue fields; raises `WorkshopNameMustBeUnique` for a name another workshop has."""
        try:
            async with self._connection.transaction():  # a savepoint: the name check may fail
                await self._connection.execute(
                    """
                    UPDATE workshops SET work_area = $2, name = $3, seats = $4, lead_instructor = $5,
                        opening_days = $6, updated_at = now()
                    WHERE workshop_id = $1
                    """,
                    *_values(workshop),
                )
        except asyncpg.UniqueViolationError:
            await self._name_taken(workshop)

    async def add_defaults_unless_any(self, workshops: list[Workshop]) -> bool:
        """The first start's workshops, unless the catalogue has any (replicas starting together
        wait for each other on the table lock, so only one adds them)."""
        await self._connection.execute("LOCK TABLE workshops IN SHARE ROW EXCLUSIVE MODE")
        if await self._connection.fetchval("SELECT EXISTS (SELECT 1 FROM workshops)"):
            return False
        await self._connection.executemany(
            f"INSERT INTO workshops ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)",
            [_values(workshop) for workshop in workshops],
        )
        return True

    async def _name_taken(self, workshop: Workshop) -> None:
        existing = await self._connection.fetchval(
            "SELECT workshop_id FROM workshops WHERE name = $1", workshop.name
        )
        raise WorkshopNameMustBeUnique(f"another workshop is called '{workshop.name}'", existing)


def workshop_from(row: Any) -> Workshop:
    return Workshop(
        workshop_id=row["workshop_id"],
        work_area=WorkArea(row["work_area"]),
        name=row["name"],
        seats=row["seats"],
        lead_instructor=row["lead_instructor"],
        opening_days=tuple(row["opening_days"]),
    )


def _values(workshop: Workshop) -> tuple[Any, ...]:
    return (
        workshop.workshop_id,
        workshop.work_area.value,
        workshop.name,
        workshop.seats,
        workshop.lead_instructor,
        list(workshop.opening_days),
    )
