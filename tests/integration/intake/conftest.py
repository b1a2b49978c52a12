"""intake under test: its own fresh database and topic prefix per test, the real broker."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from intake.app import create_app
from intake.settings import IntakeSettings
from tests.support.kafka_tools import unique_prefix
from tests.support.service_app import running_app
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests


@dataclass
class IntakeUnderTest:
    app: FastAPI
    client: httpx.AsyncClient
    settings: IntakeSettings

    @property
    def events_topic(self) -> str:
        return self.settings.topic("intake.events")


@pytest.fixture
async def intake(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> AsyncIterator[IntakeUnderTest]:
    settings = IntakeSettings(
        database_url=postgres_server.create_database(f"intake_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka_broker.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        outbox_poll_interval_s=0.2,
    )
    app = create_app(settings)
    async with running_app(app) as client:
        yield IntakeUnderTest(app=app, client=client, settings=settings)
