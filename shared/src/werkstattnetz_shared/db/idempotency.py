"""Idempotent creation: the first answer to a request with an `Idempotency-Key`, kept in the same
transaction as the work it answers, so a retry gets that answer instead of doing the work twice.

The key is scoped to the staff member who sent it; the request's fingerprint (method, path and
canonical body) tells a genuine retry from a different request that reuses a key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import asyncpg

# Frozen like the messaging tables: a change is a new constant and a new migration per service.
IDEMPOTENCY_TABLE_V1 = """
CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    key           TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    status_code   INTEGER,
    response      JSONB,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
"""
IDEMPOTENCY_TABLE_V1_DOWN = "DROP TABLE idempotency_keys;"


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: Any


class KeyReusedForAnotherRequest(Exception):
    """The key was first used for a request with another method, path or body."""


class IdempotentAnswers:
    """Bound to the connection of one open transaction."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def claim(self, scope: str, key: str, fingerprint: str) -> StoredAnswer | None:
        """None: this transaction owns the key now and does the work. Otherwise the answer given
        the first time. A concurrent first request with the same key makes this wait until it
        committed (then its answer is returned) or rolled back (then the key is ours)."""
        claimed = await self._connection.fetchval(
            """
            INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES ($1, $2, $3)
            ON CONFLICT (scope, key) DO NOTHING
            RETURNING true
            """,
            scope,
            key,
            fingerprint,
        )
        if claimed:
            return None
        row = await self._connection.fetchrow(
            "SELECT fingerprint, status_code, response::text AS response FROM idempotency_keys "
            "WHERE scope = $1 AND key = $2",
            scope,
            key,
        )
        if row is None or row["status_code"] is None:
            # Purged between the two statements, or never completed (cannot commit incomplete).
            raise KeyReusedForAnotherRequest("the key's first request left no answer")
        if row["fingerprint"] != fingerprint:
            raise KeyReusedForAnotherRequest("the key was used for another request")
        return StoredAnswer(row["status_code"], json.loads(row["response"]))

    async def remember(self, scope: str, key: str, status_code: int, body: Any) -> None:
        await self._connection.execute(
            "UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb "
            "WHERE scope = $1 AND key = $2",
            scope,
            key,
            status_code,
            json.dumps(body),
        )
