"""Notification rules in notifications' database: which kind tells whom, how and when."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from notifications.domain.kinds import NotificationKind
from notifications.domain.rules import Audience, NotificationRule, RuleChannel, Timing

_COLUMNS = "rule_id, notification_kind, audience, role, subject, channel, timing, urgent"
# Oldest first within a kind, so the list reads the same on every call.
_ORDER = "ORDER BY notification_kind, created_at, rule_id"


class RuleRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def for_kind(self, kind: NotificationKind) -> list[NotificationRule]:
        rows = await self._connection.fetch(
            f"SELECT {_COLUMNS} FROM notification_rules WHERE notification_kind = $1 {_ORDER}", kind.value
        )
        return [_rule_from(row) for row in rows]

    async def all(self) -> list[NotificationRule]:
        rows = await self._connection.fetch(f"SELECT {_COLUMNS} FROM notification_rules {_ORDER}")
        return [_rule_from(row) for row in rows]

    async def get(self, rule_id: uuid.UUID) -> NotificationRule | None:
        row = await self._connection.fetchrow(
            f"SELECT {_COLUMNS} FROM notification_rules WHERE rule_id = $1", rule_id
        )
        return _rule_from(row) if row else None

    async def add(self, rule: NotificationRule) -> None:
        await self._connection.execute(
            f"INSERT INTO notification_rules ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            *_values(rule),
        )

    async def replace(self, rule: NotificationRule) -> bool:
        """False when there is no rule `rule.rule_id` (nothing is written then)."""
        found = await self._connection.fetchval(
            """
            UPDATE notification_rules SET notification_kind = $2, audience = $3, role = $4,
                subject = $5, channel = $6, timing = $7, urgent = $8, updated_at = now()
            WHERE rule_id = $1 RETURNING true
            """,
            *_values(rule),
        )
        return bool(found)

    async def delete(self, rule_id: uuid.UUID) -> bool:
        found = await self._connection.fetchval(
            "DELETE FROM notification_rules WHERE rule_id = $1 RETURNING true", rule_id
        )
        return bool(found)


def _values(rule: NotificationRule) -> tuple[Any, ...]:
    return (
        rule.rule_id,
        rule.kind.value,
        rule.audience.value,
        rule.role,
        rule.subject,
        rule.channel.value,
        rule.timing.value,
        rule.urgent,
    )


def _rule_from(row: Any) -> NotificationRule:
    return NotificationRule(
        rule_id=row["rule_id"],
        kind=NotificationKind(row["notification_kind"]),
        audience=Audience(row["audience"]),
        role=row["role"],
        subject=row["subject"],
        channel=RuleChannel(row["channel"]),
        timing=Timing(row["timing"]),
        urgent=row["urgent"],
    )
