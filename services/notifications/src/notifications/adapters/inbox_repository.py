"""Staff members' inbox items in notifications' own database.

Every query names the recipient: an item is only ever read or changed on behalf of the staff
member it was written for, so an id guessed or copied from someone else finds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import asyncpg

from notifications.domain.inbox import InboxItem
from notifications.domain.kinds import NotificationKind

# The inbox stream LISTENs on this channel; NOTIFY is delivered on commit only, so a stream never
# hears of an item that was rolled back.
INBOX_CHANNEL = "inbox_items_added"

REPLAY_LIMIT = 100
"""At most this many missed items are replayed to a stream that resumes (`items_after`)."""

_COLUMNS = """
    item_id, recipient, trigger_event_id, notification_kind, participant_id, title, link, facts,
    created_at, read_at
"""


class InboxRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def add(self, item: InboxItem) -> bool:
        """False when the recipient has this event's item of this kind already (nothing is added)."""
        added = await self._connection.fetchval(
            """
            INSERT INTO inbox_items (item_id, recipient, trigger_event_id, notification_kind,
                participant_id, title, link, facts, created_at, read_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
            ON CONFLICT (trigger_event_id, notification_kind, recipient) DO NOTHING
            RETURNING true
            """,
            item.item_id,
            item.recipient,
            item.trigger_event_id,
            item.kind.value,
            item.participant_id,
            item.title,
            item.link,
            json.dumps(dict(item.facts)),
            item.created_at,
            item.read_at,
        )
        if not added:
            return False
        # Only ids travel: the stream reads the item itself, for its recipient, from the table.
        payload = json.dumps({"recipient": item.recipient, "item_id": str(item.item_id)})
        await self._connection.execute("SELECT pg_notify($1, $2)", INBOX_CHANNEL, payload)
        return True

    async def page(
        self, recipient: str, *, unread_only: bool, after: uuid.UUID | None, limit: int
    ) -> list[InboxItem]:
        """Newest first, keyset-paginated by (created_at, item_id) after the item `after`."""
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM inbox_items
            WHERE recipient = $1
              AND (NOT $2 OR read_at IS NULL)
              AND ($3::uuid IS NULL OR (created_at, item_id) <
                   (SELECT created_at, item_id FROM inbox_items WHERE recipient = $1 AND item_id = $3))
            ORDER BY created_at DESC, item_id DESC
            LIMIT $4
            """,
            recipient,
            unread_only,
            after,
            limit,
        )
        return [_item_from(row) for row in rows]

    async def unread_count(self, recipient: str) -> int:
        count: int = await self._connection.fetchval(
            "SELECT count(*) FROM inbox_items WHERE recipient = $1 AND read_at IS NULL", recipient
        )
        return count

    async def mark_read(self, recipient: str, item_ids: list[uuid.UUID], now: dt.datetime) -> int:
        """How many of the recipient's unread items among `item_ids` are now read; other ids are
        left alone without saying whether they exist."""
        result = await self._connection.execute(
            """
            UPDATE inbox_items SET read_at = $3
            WHERE recipient = $1 AND item_id = ANY($2::uuid[]) AND read_at IS NULL
            """,
            recipient,
            item_ids,
            now,
        )
        return _affected(result)

    async def mark_all_read(self, recipient: str, now: dt.datetime) -> int:
        result = await self._connection.execute(
            "UPDATE inbox_items SET read_at = $2 WHERE recipient = $1 AND read_at IS NULL", recipient, now
        )
        return _affected(result)

    async def get(self, recipient: str, item_id: uuid.UUID) -> InboxItem | None:
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM inbox_items WHERE recipient = $1 AND item_id = $2", recipient, item_id
        )
        return _item_from(row) if row else None

    async def items_after(self, recipient: str, item_id: uuid.UUID) -> list[InboxItem]:
        """The recipient's items newer than `item_id`, oldest first, at most REPLAY_LIMIT; none
        when `item_id` is not one of theirs."""
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM inbox_items
            WHERE recipient = $1
              AND (created_at, item_id) >
                  (SELECT created_at, item_id FROM inbox_items WHERE recipient = $1 AND item_id = $2)
            ORDER BY created_at, item_id
            LIMIT $3
            """,
            recipient,
            item_id,
            REPLAY_LIMIT,
        )
        return [_item_from(row) for row in rows]

    async def erase_participant(self, participant_id: uuid.UUID) -> int:
        """Deletes every item about the participant (their data was erased); returns how many."""
        result = await self._connection.execute(
            "DELETE FROM inbox_items WHERE participant_id = $1", participant_id
        )
        return _affected(result)


def _affected(command_tag: str) -> int:
    """The row count of an `UPDATE n` / `DELETE n` command tag."""
    return int(command_tag.rsplit(" ", 1)[-1])


def _item_from(row: Any) -> InboxItem:
    return InboxItem(
        item_id=row["item_id"],
        recipient=row["recipient"],
        trigger_event_id=row["trigger_event_id"],
        kind=NotificationKind(row["notification_kind"]),
        participant_id=row["participant_id"],
        title=row["title"],
        link=row["link"],
        created_at=row["created_at"],
        facts=json.loads(row["facts"]),
        read_at=row["read_at"],
    )
