"""intake under test: its own fresh database and topic prefix per test, the real broker."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from intake.app import create_app
from intake.settings import IntakeSettings
from tests.support.kafka_tools import create_topics, publish, unique_prefix
from tests.support.service_app import running_app
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.events import EventEnvelope, ParticipantExited
from werkstattnetz_shared.events.vocabulary import Destination


@dataclass
class IntakeUnderTest:
    app: FastAPI
    client: httpx.AsyncClient
    settings: IntakeSettings

    @property
    def events_topic(self) -> str:
        return self.settings.topic("intake.events")

    @property
    def bootstrap_servers(self) -> str:
        return self.settings.kafka_bootstrap_servers

    @property
    def today(self) -> dt.date:
        """What intake takes for today (its time zone decides)."""
        return dt.datetime.now(ZoneInfo(self.settings.timezone)).date()

    async def rows(self, sql: str, *arguments: Any) -> list[asyncpg.Record]:
        """Read intake's database directly, past the API (what is really stored)."""
        connection = await asyncpg.connect(self.settings.database_url)
        try:
            found: list[asyncpg.Record] = await connection.fetch(sql, *arguments)
        finally:
            await connection.close()
        return found

    async def value(self, sql: str, *arguments: Any) -> Any:
        found = await self.rows(sql, *arguments)
        return found[0][0] if found else None

    async def publish_exit(self, participant_id: str, exit_date: dt.date) -> None:
        """What outcomes publishes when a participant leaves the programme."""
        topic = self.settings.topic("outcomes.events")
        await create_topics(self.bootstrap_servers, topic)
        exited = ParticipantExited(
            destination=Destination.APPRENTICESHIP, exit_date=exit_date, integrated=True
        )
        envelope = EventEnvelope.wrap(exited, producer="outcomes", participant_id=uuid.UUID(participant_id))
        await publish(self.bootstrap_servers, topic, envelope)


@asynccontextmanager
async def intake_running(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests, **settings: Any
) -> AsyncIterator[IntakeUnderTest]:
    """intake with a fresh database and topic prefix; `settings` and the environment add to them."""
    intake_settings = IntakeSettings(
        database_url=postgres_server.create_database(f"intake_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka_broker.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        outbox_poll_interval_s=0.2,
        **settings,
    )
    app = create_app(intake_settings)
    async with running_app(app) as client:
        yield IntakeUnderTest(app=app, client=client, settings=intake_settings)


@pytest.fixture
async def intake(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> AsyncIterator[IntakeUnderTest]:
    async with intake_running(kafka_broker, postgres_server) as running:
        yield running
