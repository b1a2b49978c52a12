"""Offers by id, and the offer timer's view of them: the next one due, locked."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from placement.adapters.seat_repository import OFFER_COLUMNS, offer_from
from placement.domain.offers import Offer


class OfferRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def get(self, offer_id: uuid.UUID) -> Offer | None:
        row = await self._connection.fetchrow(
            f"SELECT {OFFER_COLUMNS} FROM offers WHERE offer_id = $1", offer_id
        )
        return offer_from(row) if row else None

    async def next_due_for_update(self, now: dt.datetime) -> Offer | None:
        """The open offer whose time ran out first, row-locked; rows another replica's timer (or a
        decision) holds are skipped, so two timers never work on the same offer."""
        row = await self._connection.fetchrow(
            f"""
            SELECT {OFFER_COLUMNS} FROM offers
            WHERE status = 'open' AND expires_at <= $1
            ORDER BY expires_at, offer_id
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """,
            now,
        )
        return offer_from(row) if row else None

    async def next_deadline(self) -> dt.datetime | None:
        deadline: dt.datetime | None = await self._connection.fetchval(
            "SELECT min(expires_at) FROM offers WHERE status = 'open'"
        )
        return deadline
