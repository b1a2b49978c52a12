"""Webhook subscriptions of partner systems in notifications' database."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from notifications.domain.kinds import NotificationKind
from notifications.domain.webhooks import WebhookNameMustBeUnique, WebhookSubscription

_COLUMNS = "subscription_id, name, url, secret, notification_kinds, active"


class WebhookRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def active_for_kind(self, kind: NotificationKind) -> list[WebhookSubscription]:
        rows = await self._connection.fetch(
            f"""
            SELECT {_COLUMNS} FROM webhook_subscriptions
            WHERE active AND $1 = ANY (notification_kinds)
            ORDER BY name
            """,
            kind.value,
        )
        return [_subscription_from(row) for row in rows]

    async def get(
        self, subscription_id: uuid.UUID, *, for_update: bool = False
    ) -> WebhookSubscription | None:
        """`for_update` locks the row until the transaction ends, for a read-change-write."""
        lock = "FOR UPDATE" if for_update else ""
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM webhook_subscriptions WHERE subscription_id = $1 {lock}",
            subscription_id,
        )
        return _subscription_from(row) if row else None

    async def all(self) -> list[WebhookSubscription]:
        rows = await self._connection.fetch(f"SELECT {_COLUMNS} FROM webhook_subscriptions ORDER BY name")
        return [_subscription_from(row) for row in rows]

    async def add(self, subscription: WebhookSubscription) -> None:
        """Raises `WebhookNameMustBeUnique` when another subscription has the name already."""
        added = await self._connection.fetchval(
            f"""
            INSERT INTO webhook_subscriptions ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (name) DO NOTHING RETURNING true
            """,
            *_values(subscription),
        )
        if not added:
            await self._name_taken(subscription)

    async def save(self, subscription: WebhookSubscription) -> None:
        """Every field; raises `WebhookNameMustBeUnique` for a name another subscription has."""
        try:
            async with self._connection.transaction():  # a savepoint: the name check may fail
                await self._connection.execute(
                    """
                    UPDATE webhook_subscriptions SET name = $2, url = $3, secret = $4,
                        notification_kinds = $5, active = $6, updated_at = now()
                    WHERE subscription_id = $1
                    """,
                    *_values(subscription),
                )
        except asyncpg.UniqueViolationError:
            await self._name_taken(subscription)

    async def delete(self, subscription_id: uuid.UUID) -> bool:
        found = await self._connection.fetchval(
            "DELETE FROM webhook_subscriptions WHERE subscription_id = $1 RETURNING true", subscription_id
        )
        return bool(found)

    async def _name_taken(self, subscription: WebhookSubscription) -> None:
        existing = await self._connection.fetchval(
            "SELECT subscription_id FROM webhook_subscriptions WHERE name = $1", subscription.name
        )
        raise WebhookNameMustBeUnique(
            f"another webhook subscription is called '{subscription.name}'", existing
        )


def _values(subscription: WebhookSubscription) -> tuple[Any, ...]:
    return (
        subscription.subscription_id,
        subscription.name,
        subscription.url,
        subscription.secret,
        sorted(kind.value for kind in subscription.kinds),
        subscription.active,
    )


def _subscription_from(row: Any) -> WebhookSubscription:
    return WebhookSubscription(
        subscription_id=row["subscription_id"],
        name=row["name"],
        url=row["url"],
        secret=row["secret"],
        kinds=frozenset(NotificationKind(kind) for kind in row["notification_kinds"]),
        active=row["active"],
    )
