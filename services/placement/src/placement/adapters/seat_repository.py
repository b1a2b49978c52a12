"""The seats of each work area: locking an area, reading its workshops' occupancy, free seats
(vacancies) and offers, and saving what a decision changed.

Every decision that places, frees a seat, changes a waitlist or answers an offer holds the locks
of the areas it touches until its transaction ends (transaction-level advisory locks, taken in one
fixed order, so two decisions never wait for each other in a circle). Everything is read after
the lock was granted, each in its own statement: under READ COMMITTED a statement sees what was
committed when it started, so it includes what the transaction we waited for has just written.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import asyncpg

from placement.adapters.workshop_repository import workshop_from
from placement.domain.area import Area, WorkshopSeats
from placement.domain.offers import Offer, OfferStatus, Vacancy
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason, WorkArea

# The two-key advisory locks of the work areas: (this namespace, the area's number).
AREA_LOCKS = 0x706C6163
AREA_NUMBERS = {area: number for number, area in enumerate(WorkArea, start=1)}

OFFER_COLUMNS = """
    offer_id, vacancy_id, workshop_id, work_area, participant_id, status, offered_at, expires_at,
    answered_at, answered_by, decline_reason
"""


class SeatRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def lock_areas(self, areas: Iterable[WorkArea]) -> None:
        for area in sorted(set(areas), key=AREA_NUMBERS.__getitem__):
            await self._connection.execute(
                "SELECT pg_advisory_xact_lock($1, $2)", AREA_LOCKS, AREA_NUMBERS[area]
            )

    async def try_lock_area(self, area: WorkArea) -> bool:
        """The lock if it is free now; False (without waiting) when another transaction holds it."""
        locked: bool = await self._connection.fetchval(
            "SELECT pg_try_advisory_xact_lock($1, $2)", AREA_LOCKS, AREA_NUMBERS[area]
        )
        return locked

    async def seats_of(self, area: WorkArea) -> list[WorkshopSeats]:
        """The area's workshops with their occupancy and open vacancies; the caller holds its lock."""
        workshops = [
            workshop_from(row)
            for row in await self._connection.fetch(
                "SELECT workshop_id, work_area, name, seats, lead_instructor, opening_days FROM workshops "
                "WHERE work_area = $1 ORDER BY name",
                area.value,
            )
        ]
        ids = [workshop.workshop_id for workshop in workshops]
        placed = {
            row["workshop_id"]: row["placed"]
            for row in await self._connection.fetch(
                "SELECT workshop_id, count(*) AS placed FROM participants "
                "WHERE status = 'placed' AND workshop_id = ANY($1::uuid[]) GROUP BY workshop_id",
                ids,
            )
        }
        vacancies: dict[uuid.UUID, list[Vacancy]] = defaultdict(list)
        for vacancy in await self._open_vacancies(ids):
            vacancies[vacancy.workshop_id].append(vacancy)
        return [
            WorkshopSeats(workshop, placed.get(workshop.workshop_id, 0), vacancies[workshop.workshop_id])
            for workshop in workshops
        ]

    async def save(self, area: Area) -> None:
        """The vacancies and offers the area's decision changed (closed offers before new ones,
        so a person's new offer never meets their old one still open)."""
        vacancies = area.changed_vacancies
        if vacancies:
            await self._connection.executemany(
                """
                INSERT INTO vacancies (vacancy_id, workshop_id, opened_at, status, closed_at)
                VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (vacancy_id) DO UPDATE
                    SET status = EXCLUDED.status, closed_at = EXCLUDED.closed_at
                """,
                [(v.vacancy_id, v.workshop_id, v.opened_at, v.status.value, v.closed_at) for v in vacancies],
            )
        offers = sorted(area.changed_offers, key=lambda offer: offer.is_open)
        if offers:
            await self._connection.executemany(
                f"""
                INSERT INTO offers ({OFFER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (offer_id) DO UPDATE SET status = EXCLUDED.status,
                    answered_at = EXCLUDED.answered_at, answered_by = EXCLUDED.answered_by,
                    decline_reason = EXCLUDED.decline_reason
                """,
                [_offer_values(offer) for offer in offers],
            )

    async def _open_vacancies(self, workshop_ids: list[uuid.UUID]) -> list[Vacancy]:
        rows = await self._connection.fetch(
            "SELECT vacancy_id, workshop_id, opened_at FROM vacancies "
            "WHERE status = 'open' AND workshop_id = ANY($1::uuid[]) ORDER BY opened_at, vacancy_id",
            workshop_ids,
        )
        vacancies = {
            row["vacancy_id"]: Vacancy(row["vacancy_id"], row["workshop_id"], row["opened_at"])
            for row in rows
        }
        offers = await self._connection.fetch(
            f"SELECT {OFFER_COLUMNS} FROM offers WHERE vacancy_id = ANY($1::uuid[])", list(vacancies)
        )
        for row in offers:
            vacancy = vacancies[row["vacancy_id"]]
            vacancy.offered_to = vacancy.offered_to | {row["participant_id"]}
            if row["status"] == OfferStatus.OPEN.value:
                vacancy.open_offer = offer_from(row)
        return list(vacancies.values())


def offer_from(row: Any) -> Offer:
    return Offer(
        offer_id=row["offer_id"],
        vacancy_id=row["vacancy_id"],
        workshop_id=row["workshop_id"],
        work_area=WorkArea(row["work_area"]),
        participant_id=row["participant_id"],
        offered_at=row["offered_at"],
        expires_at=row["expires_at"],
        status=OfferStatus(row["status"]),
        answered_at=row["answered_at"],
        answered_by=row["answered_by"],
        decline_reason=OfferDeclineReason(row["decline_reason"]) if row["decline_reason"] else None,
    )


def _offer_values(offer: Offer) -> tuple[Any, ...]:
    return (
        offer.offer_id,
        offer.vacancy_id,
        offer.workshop_id,
        offer.work_area.value,
        offer.participant_id,
        offer.status.value,
        offer.offered_at,
        offer.expires_at,
        offer.answered_at,
        offer.answered_by,
        offer.decline_reason.value if offer.decline_reason else None,
    )
