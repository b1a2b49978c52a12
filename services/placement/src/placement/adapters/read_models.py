"""Read-only views for the HTTP API, each one query; only the pseudonymous id leaves this service.

Waiting time counts from the moment of enrolment the enrolment event stated (a held re-entry's,
too), as the waitlist's order does; the database's clock says what "now" is.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from placement.adapters.participant_repository import FAIR_ORDER
from placement.adapters.seat_repository import OFFER_COLUMNS, offer_from
from placement.adapters.workshop_repository import workshop_from
from placement.domain.offers import Offer, OfferStatus
from placement.domain.participant import PlacementStatus
from placement.domain.urgency import UrgencyReason
from placement.domain.workshop import Workshop
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

_WAITED_DAYS = "extract(epoch FROM now() - coalesce(p.enrolled_at, p.waiting_since)) / 86400"


@dataclass(frozen=True)
class WorkshopOccupancy:
    workshop: Workshop
    placed: int
    open_offers: int
    waitlist_length: int
    """Of the workshop's area: people wait for an area, and are offered a seat in any of its workshops."""
    average_waiting_days: float | None

    @property
    def occupied(self) -> int:
        return self.placed + self.open_offers

    @property
    def free_seats(self) -> int:
        return max(0, self.workshop.seats - self.occupied)


@dataclass(frozen=True)
class OpenOffer:
    offer_id: uuid.UUID
    workshop_id: uuid.UUID
    expires_at: dt.datetime


@dataclass(frozen=True)
class ParticipantPlacement:
    participant_id: uuid.UUID
    status: PlacementStatus
    work_area: WorkArea | None
    workshop_id: uuid.UUID | None
    placed_on: dt.date | None
    from_waitlist: bool
    waitlist_position: int | None
    waiting_since: dt.datetime | None
    waiting_days: float | None
    urgent: bool
    urgency_reason: UrgencyReason | None
    open_offer: OpenOffer | None
    ended_on: dt.date | None
    exited_on: dt.date | None
    stay: int
    enrolment_id: uuid.UUID | None
    held_re_entries: int
    funders: tuple[Funder, ...]


@dataclass(frozen=True)
class WaitlistSpot:
    participant_id: uuid.UUID
    position: int
    waiting_since: dt.datetime
    waiting_days: float
    urgent: bool
    urgency_reason: UrgencyReason | None
    open_offer: OpenOffer | None


@dataclass(frozen=True)
class WaitlistPage:
    spots: list[WaitlistSpot]
    total: int
    average_waiting_days: float | None


class PlacementReadModels:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def workshops(self, workshop_id: uuid.UUID | None = None) -> list[WorkshopOccupancy]:
        """Every workshop (or the one named) with its occupancy and its area's waitlist."""
        rows = await self._connection.fetch(
            f"""
            WITH placed AS (
                SELECT workshop_id, count(*) AS placed FROM participants WHERE status = 'placed'
                GROUP BY workshop_id
            ), held AS (
                SELECT workshop_id, count(*) AS open_offers FROM offers WHERE status = 'open'
                GROUP BY workshop_id
            ), waiting AS (
                SELECT p.work_area, count(*) AS waitlist_length, avg({_WAITED_DAYS}) AS average_waiting_days
                FROM participants p WHERE p.status = 'waitlisted' GROUP BY p.work_area
            )
            SELECT w.workshop_id, w.work_area, w.name, w.seats, w.lead_instructor, w.opening_days,
                   coalesce(placed.placed, 0) AS placed, coalesce(held.open_offers, 0) AS open_offers,
                   coalesce(waiting.waitlist_length, 0) AS waitlist_length, waiting.average_waiting_days
            FROM workshops w
            LEFT JOIN placed USING (workshop_id)
            LEFT JOIN held USING (workshop_id)
            LEFT JOIN waiting USING (work_area)
            WHERE $1::uuid IS NULL OR w.workshop_id = $1
            ORDER BY w.work_area, w.name
            """,
            workshop_id,
        )
        return [
            WorkshopOccupancy(
                workshop=workshop_from(row),
                placed=row["placed"],
                open_offers=row["open_offers"],
                waitlist_length=row["waitlist_length"],
                average_waiting_days=_days(row["average_waiting_days"]),
            )
            for row in rows
        ]

    async def placement_of(self, participant_id: uuid.UUID) -> ParticipantPlacement | None:
        row = await self._connection.fetchrow(
            f"""
            SELECT p.participant_id, p.status, p.work_area, p.workshop_id, p.placed_on, p.from_waitlist,
                   coalesce(p.enrolled_at, p.waiting_since) AS waiting_since, p.ended_on, p.exited_on,
                   p.stay, p.enrolment_id, p.urgent, p.urgency_reason, p.funders,
                   jsonb_array_length(p.held_enrolments) AS held_re_entries,
                   CASE WHEN p.status = 'waitlisted' THEN {_WAITED_DAYS} END AS waiting_days,
                   CASE WHEN p.status = 'waitlisted' THEN
                       (SELECT position FROM (
                            SELECT participant_id, row_number() OVER (ORDER BY {FAIR_ORDER}) AS position
                            FROM participants WHERE status = 'waitlisted' AND work_area = p.work_area
                        ) queue WHERE queue.participant_id = p.participant_id)
                   END AS waitlist_position,
                   o.offer_id, o.workshop_id AS offer_workshop_id, o.expires_at
            FROM participants p
            LEFT JOIN offers o ON o.participant_id = p.participant_id AND o.status = 'open'
            WHERE p.participant_id = $1
            """,
            participant_id,
        )
        if row is None:
            return None
        return ParticipantPlacement(
            participant_id=row["participant_id"],
            status=PlacementStatus(row["status"]),
            work_area=WorkArea(row["work_area"]) if row["work_area"] else None,
            workshop_id=row["workshop_id"],
            placed_on=row["placed_on"],
            from_waitlist=row["from_waitlist"],
            waitlist_position=row["waitlist_position"],
            waiting_since=row["waiting_since"] if row["status"] == PlacementStatus.WAITLISTED else None,
            waiting_days=_days(row["waiting_days"]),
            urgent=row["urgent"],
            urgency_reason=UrgencyReason(row["urgency_reason"]) if row["urgency_reason"] else None,
            open_offer=_open_offer(row),
            ended_on=row["ended_on"],
            exited_on=row["exited_on"],
            stay=row["stay"],
            enrolment_id=row["enrolment_id"],
            held_re_entries=row["held_re_entries"],
            funders=tuple(Funder(funder) for funder in row["funders"]),
        )

    async def waitlist_page(self, area: WorkArea, *, limit: int, offset: int) -> WaitlistPage:
        """One page of the waitlist in fair order, how many wait in all, and how long on average."""
        rows = await self._connection.fetch(
            f"""
            WITH queue AS (
                SELECT p.participant_id, coalesce(p.enrolled_at, p.waiting_since) AS waiting_since,
                       {_WAITED_DAYS} AS waiting_days, p.urgent, p.urgency_reason,
                       row_number() OVER (ORDER BY {FAIR_ORDER}) AS position,
                       count(*) OVER () AS total, avg({_WAITED_DAYS}) OVER () AS average_waiting_days
                FROM participants p WHERE p.status = 'waitlisted' AND p.work_area = $1
            )
            SELECT queue.*, o.offer_id, o.workshop_id AS offer_workshop_id, o.expires_at
            FROM queue LEFT JOIN offers o ON o.participant_id = queue.participant_id AND o.status = 'open'
            ORDER BY position
            LIMIT $2 OFFSET $3
            """,
            area.value,
            limit,
            offset,
        )
        if rows:
            total, average = rows[0]["total"], _days(rows[0]["average_waiting_days"])
        else:
            total, average = await self._waitlist_summary(area)
        spots = [
            WaitlistSpot(
                participant_id=row["participant_id"],
                position=row["position"],
                waiting_since=row["waiting_since"],
                waiting_days=_days(row["waiting_days"]) or 0.0,
                urgent=row["urgent"],
                urgency_reason=UrgencyReason(row["urgency_reason"]) if row["urgency_reason"] else None,
                open_offer=_open_offer(row),
            )
            for row in rows
        ]
        return WaitlistPage(spots, total, average)

    async def offers(
        self,
        *,
        status: OfferStatus | None,
        workshop_id: uuid.UUID | None,
        participant_id: uuid.UUID | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Offer], int]:
        """Offers newest first, filtered; and how many match in all."""
        rows = await self._connection.fetch(
            f"""
            SELECT {OFFER_COLUMNS}, count(*) OVER () AS total FROM offers
            WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR workshop_id = $2)
              AND ($3::uuid IS NULL OR participant_id = $3)
            ORDER BY offered_at DESC, offer_id
            LIMIT $4 OFFSET $5
            """,
            status.value if status else None,
            workshop_id,
            participant_id,
            limit,
            offset,
        )
        if rows:
            return [offer_from(row) for row in rows], rows[0]["total"]
        total: int = await self._connection.fetchval(
            """
            SELECT count(*) FROM offers
            WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR workshop_id = $2)
              AND ($3::uuid IS NULL OR participant_id = $3)
            """,
            status.value if status else None,
            workshop_id,
            participant_id,
        )
        return [], total

    async def _waitlist_summary(self, area: WorkArea) -> tuple[int, float | None]:
        row = await self._connection.fetchrow(
            f"SELECT count(*) AS total, avg({_WAITED_DAYS}) AS average FROM participants p "
            "WHERE p.status = 'waitlisted' AND p.work_area = $1",
            area.value,
        )
        assert row is not None
        return row["total"], _days(row["average"])


def _open_offer(row: Any) -> OpenOffer | None:
    if row["offer_id"] is None:
        return None
    return OpenOffer(row["offer_id"], row["offer_workshop_id"], row["expires_at"])


def _days(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)
