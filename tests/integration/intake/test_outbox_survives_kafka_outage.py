"""Kafka being down never fails an enrolment: the events wait in the outbox and go out later."""

from __future__ import annotations

import asyncpg
import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.kafka_tools import collect_events
from tests.support.tokens import auth_header
from werkstattnetz_devstack.testing import KafkaForTests

pytestmark = pytest.mark.integration

STAFF = auth_header("intake")
REFERRAL = {
    "first_name": "Ben",
    "last_name": "Richter",
    "birth_date": "2004-09-30",
    "referral_source": "school",
    "funder": "youth_office",
    "preferred_work_areas": ["bike_metal"],
    "consent_to_data_processing": True,
}


async def enrol(intake: IntakeUnderTest) -> str:
    referral = await intake.client.post("/v1/referrals", json=REFERRAL, headers=STAFF)
    assert referral.status_code == 201, referral.text
    enrolled = await intake.client.post(
        f"/v1/referrals/{referral.json()['referral_id']}/enrol", headers=STAFF
    )
    assert enrolled.status_code == 201, enrolled.text
    return str(enrolled.json()["participant_id"])


async def unpublished(intake: IntakeUnderTest) -> int:
    connection = await asyncpg.connect(intake.settings.database_url)
    try:
        return int(await connection.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"))
    finally:
        await connection.close()


async def test_enrolments_during_an_outage_are_published_once_kafka_is_back(
    intake: IntakeUnderTest,
    kafka_broker: KafkaForTests,
) -> None:
    bootstrap = intake.settings.kafka_bootstrap_servers
    before = await enrol(intake)
    await collect_events(bootstrap, intake.events_topic, until=lambda events: len(events) == 1)

    async with kafka_broker.outage():
        during = [await enrol(intake) for _ in range(3)]
        ready = await intake.client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "ok"
        assert ready.json()["checks"]["kafka"].startswith("failed")
        assert await unpublished(intake) == 3

    events = await collect_events(
        bootstrap, intake.events_topic, until=lambda events: len(events) >= 4, timeout_s=120
    )
    # Partitions are read side by side, so only each participant's own order is defined; delivery is
    # at least once, so a retried send may repeat an event (consumers drop it by event_id).
    assert {str(event.participant_id) for event in events} == {before, *during}
    assert len({event.event_id for event in events}) == 4
    assert await unpublished(intake) == 0
