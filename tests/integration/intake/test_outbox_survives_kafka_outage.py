"""Kafka being down never fails the referral workflow: the events wait in the outbox and go out later."""

from __future__ import annotations

import asyncpg
import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import enrolled_participant
from tests.support.kafka_tools import collect_events
from werkstattnetz_devstack.testing import KafkaForTests

pytestmark = pytest.mark.integration


async def enrol(intake: IntakeUnderTest, first_name: str) -> str:
    """Refer, interview, consent and enrol: two events (`ReferralReceived`, `ParticipantEnrolled`)."""
    participant_id, _ = await enrolled_participant(
        intake.client,
        first_name=first_name,
        last_name="Richter",
        birth_date="2004-09-30",
        referral_source="school",
        preferred_work_areas=["bike_metal"],
    )
    return participant_id


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
    before = await enrol(intake, "Ben")
    await collect_events(bootstrap, intake.events_topic, until=lambda events: len(events) == 2)

    async with kafka_broker.outage():
        during = [await enrol(intake, first_name) for first_name in ("Jan", "Kai", "Tom")]
        ready = await intake.client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"] == "ok"
        assert ready.json()["checks"]["kafka"].startswith("failed")
        assert await unpublished(intake) == 6

    events = await collect_events(
        bootstrap, intake.events_topic, until=lambda events: len(events) >= 8, timeout_s=120
    )
    # Partitions are read side by side, so only each participant's own order is defined; delivery is
    # at least once, so a retried send may repeat an event (consumers drop it by event_id).
    assert {str(event.participant_id) for event in events} == {before, *during}
    assert len({event.event_id for event in events}) == 8
    for participant_id in (before, *during):
        own = [e.event_type for e in events if str(e.participant_id) == participant_id]
        assert list(dict.fromkeys(own)) == ["ReferralReceived", "ParticipantEnrolled"]
    assert await unpublished(intake) == 0
