"""What the follow-up and event-order tests share: outcomes with its own settings (a short
follow-up delay, a grace period), and reading its outbox."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import httpx

from outcomes.app import create_app
from outcomes.settings import OutcomesSettings
from tests.integration.outcomes.conftest import CASEWORKER, OutcomesUnderTest
from tests.support.kafka_tools import create_topics, unique_prefix
from tests.support.service_app import running_app
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS


async def outcomes_settings(
    kafka: KafkaForTests, postgres: PostgresForTests, **settings: Any
) -> OutcomesSettings:
    """A fresh database and topic prefix; `settings` as the environment would set them."""
    made = OutcomesSettings(
        database_url=postgres.create_database(f"outcomes_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        outbox_poll_interval_s=0.2,
        consumer_retry_backoff_s=0.01,
        **settings,
    )
    await create_topics(
        made.kafka_bootstrap_servers,
        made.topic(INTAKE_EVENTS),
        made.topic(PLACEMENT_EVENTS),
        made.topic(OUTCOMES_EVENTS),
    )
    return made


@asynccontextmanager
async def outcomes_running(settings: OutcomesSettings) -> AsyncIterator[OutcomesUnderTest]:
    async with running_app(create_app(settings)) as client:
        yield OutcomesUnderTest(client=client, settings=settings)


async def outbox(settings: OutcomesSettings, event_type: str) -> list[EventEnvelope]:
    connection = await asyncpg.connect(settings.database_url)
    try:
        rows = await connection.fetch(
            "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", event_type
        )
    finally:
        await connection.close()
    return [EventEnvelope.from_json_bytes(row["payload"].encode()) for row in rows]


async def follow_ups_in_database(settings: OutcomesSettings) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(settings.database_url)
    try:
        return list(await connection.fetch("SELECT * FROM follow_ups ORDER BY due_at, follow_up_id"))
    finally:
        await connection.close()


async def exit_with(
    client: httpx.AsyncClient, participant_id: uuid.UUID, body: dict[str, Any], **headers: str
) -> httpx.Response:
    return await client.post(
        f"/v1/participants/{participant_id}/exit", json=body, headers={**CASEWORKER, **headers}
    )
