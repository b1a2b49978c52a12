"""outcomes under test: its own fresh database and topic prefix per test, the real broker.

The test plays intake and placement by publishing their events onto the prefixed topics.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from outcomes.app import create_app
from outcomes.settings import OutcomesSettings
from tests.support.kafka_tools import create_topics, publish, unique_prefix
from tests.support.service_app import eventually, running_app
from tests.support.tokens import auth_header
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    FundingShare,
    ParticipantEnrolled,
    ParticipantPlaced,
)
from werkstattnetz_shared.events.vocabulary import AgeBand, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

CASEWORKER = auth_header("caseworker")


def enrolled(
    participant_id: uuid.UUID,
    funder: Funder,
    enrolled_on: dt.date,
    *,
    re_entry: bool = False,
    funding: list[FundingShare] | None = None,
) -> EventEnvelope:
    """An enrolment with a fresh enrolment id: a new stay of the participant."""
    data = ParticipantEnrolled(
        age_band=AgeBand.AGE_18_20,
        referral_source=ReferralSource.JOBCENTER,
        funder=funder,
        preferred_work_areas=[WorkArea.CARE],
        enrolled_on=enrolled_on,
        enrolment_id=uuid.uuid4(),
        re_entry=re_entry,
        funding=funding,
    )
    return EventEnvelope.wrap(data, producer="intake", participant_id=participant_id)


def placed(
    participant_id: uuid.UUID,
    work_area: WorkArea,
    placed_on: dt.date,
    *,
    on_enrolment: EventEnvelope | None = None,
    from_waitlist: bool = False,
) -> EventEnvelope:
    """As placement publishes it: a placement decided on an enrolment names it as its cause."""
    data = ParticipantPlaced(work_area=work_area, placed_on=placed_on, from_waitlist=from_waitlist)
    return placement_event(participant_id, data, on_enrolment)


def placement_event(
    participant_id: uuid.UUID, data: EventData, on_enrolment: EventEnvelope | None = None
) -> EventEnvelope:
    causation_id = on_enrolment.event_id if on_enrolment else None
    correlation_id = on_enrolment.correlation_id if on_enrolment else None
    return EventEnvelope.wrap(
        data,
        producer="placement",
        participant_id=participant_id,
        correlation_id=correlation_id,
        causation_id=causation_id,
    )


@dataclass
class OutcomesUnderTest:
    client: httpx.AsyncClient
    settings: OutcomesSettings

    @property
    def bootstrap_servers(self) -> str:
        return self.settings.kafka_bootstrap_servers

    @property
    def intake_topic(self) -> str:
        return self.settings.topic(INTAKE_EVENTS)

    @property
    def placement_topic(self) -> str:
        return self.settings.topic(PLACEMENT_EVENTS)

    @property
    def outcomes_topic(self) -> str:
        return self.settings.topic(OUTCOMES_EVENTS)

    async def publish_intake(self, envelope: EventEnvelope) -> None:
        await publish(self.bootstrap_servers, self.intake_topic, envelope)

    async def publish_placement(self, envelope: EventEnvelope) -> None:
        await publish(self.bootstrap_servers, self.placement_topic, envelope)

    async def outcome(self, participant_id: uuid.UUID) -> httpx.Response:
        return await self.client.get(f"/v1/participants/{participant_id}/outcome", headers=CASEWORKER)

    async def wait_for_status(self, participant_id: uuid.UUID, status: str) -> dict[str, Any]:
        """Poll the API until outcomes has consumed enough to show `status`; returns the outcome."""
        seen: dict[str, Any] = {}

        async def shows_status() -> bool:
            response = await self.outcome(participant_id)
            seen.update(response.json() if response.status_code == 200 else {})
            return response.status_code == 200 and response.json()["status"] == status

        await eventually(shows_status, what=f"participant {participant_id} to be {status}")
        return seen

    async def enrol_and_place(
        self,
        participant_id: uuid.UUID,
        *,
        funder: Funder = Funder.JOBCENTER,
        enrolled_on: dt.date = dt.date(2025, 1, 6),
        work_area: WorkArea | None = WorkArea.CARE,
        re_entry: bool = False,
        funding: list[FundingShare] | None = None,
    ) -> EventEnvelope:
        """Publish the enrolment (and the placement, unless None) and wait until outcomes knows."""
        enrolment = enrolled(participant_id, funder, enrolled_on, re_entry=re_entry, funding=funding)
        await self.publish_intake(enrolment)
        if work_area is None:
            await self.wait_for_status(participant_id, "enrolled")
            return enrolment
        await self.publish_placement(placed(participant_id, work_area, enrolled_on, on_enrolment=enrolment))
        await self.wait_for_status(participant_id, "placed")
        return enrolment

    async def exit(self, participant_id: uuid.UUID, destination: str, exit_date: dt.date) -> httpx.Response:
        return await self.client.post(
            f"/v1/participants/{participant_id}/exit",
            json={"destination": destination, "exit_date": exit_date.isoformat()},
            headers=CASEWORKER,
        )

    async def fetch(self, query: str, *arguments: Any) -> list[asyncpg.Record]:
        """Read outcomes' own database directly, for what the API does not show (outbox, inbox)."""
        connection = await asyncpg.connect(self.settings.database_url)
        try:
            return list(await connection.fetch(query, *arguments))
        finally:
            await connection.close()


@pytest.fixture
async def outcomes(kafka_broker, postgres_server) -> AsyncIterator[OutcomesUnderTest]:  # type: ignore[no-untyped-def]
    settings = OutcomesSettings(
        database_url=postgres_server.create_database(f"outcomes_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka_broker.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        outbox_poll_interval_s=0.2,
        consumer_retry_backoff_s=0.01,
    )
    # The broker does not create topics on first use; the test publishes before outcomes may have.
    await create_topics(
        settings.kafka_bootstrap_servers,
        settings.topic(INTAKE_EVENTS),
        settings.topic(PLACEMENT_EVENTS),
        settings.topic(OUTCOMES_EVENTS),
    )
    async with running_app(create_app(settings)) as client:
        yield OutcomesUnderTest(client=client, settings=settings)
