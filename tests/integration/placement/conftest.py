"""placement under test: its own fresh database and topic prefix per test, the real broker.

The default workshops have `care=1,bike_metal=0` seats, so a second enrolment for care has to wait.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from fastapi import FastAPI

from placement.app import create_app
from placement.settings import PlacementSettings
from tests.support.kafka_tools import collect_events, create_topics, publish, unique_prefix
from tests.support.service_app import eventually, running_app
from tests.support.tokens import auth_header
from werkstattnetz_shared.events import EventEnvelope, ParticipantEnrolled, ParticipantExited
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

CASEWORKER = auth_header("caseworker")
ENROLLED_ON = dt.date(2026, 11, 23)


def enrolled(
    *areas: WorkArea,
    participant_id: uuid.UUID | None = None,
    enrolled_on: dt.date = ENROLLED_ON,
    enrolment_id: uuid.UUID | None = None,
    occurred_at: dt.datetime | None = None,
) -> EventEnvelope:
    """A first enrolment; with `participant_id`, a re-entry of that person (a new stay).
    `occurred_at`: when intake enrolled the person (default now), the waitlist's order."""
    data = ParticipantEnrolled(
        age_band=AgeBand.AGE_18_20,
        referral_source=ReferralSource.JOBCENTER,
        funder=Funder.JOBCENTER,
        preferred_work_areas=list(areas),
        enrolled_on=enrolled_on,
        enrolment_id=enrolment_id or uuid.uuid4(),
        re_entry=participant_id is not None,
    )
    return EventEnvelope.wrap(
        data, producer="intake", participant_id=participant_id or uuid.uuid4(), occurred_at=occurred_at
    )


def exited(participant_id: uuid.UUID, exit_date: dt.date) -> EventEnvelope:
    data = ParticipantExited(destination=Destination.APPRENTICESHIP, exit_date=exit_date, integrated=True)
    return EventEnvelope.wrap(data, producer="outcomes", participant_id=participant_id)


@dataclass
class PlacementUnderTest:
    app: FastAPI
    client: httpx.AsyncClient
    settings: PlacementSettings

    @property
    def bootstrap_servers(self) -> str:
        return self.settings.kafka_bootstrap_servers

    async def enrol(self, envelope: EventEnvelope) -> None:
        await publish(self.bootstrap_servers, self.settings.topic(INTAKE_EVENTS), envelope)

    async def exit(self, envelope: EventEnvelope) -> None:
        await publish(self.bootstrap_servers, self.settings.topic(OUTCOMES_EVENTS), envelope)

    async def placement_response(self, participant_id: uuid.UUID) -> httpx.Response:
        return await self.client.get(f"/v1/participants/{participant_id}/placement", headers=CASEWORKER)

    async def placement_of(self, participant_id: uuid.UUID) -> dict[str, Any] | None:
        response = await self.placement_response(participant_id)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def wait_for_status(self, participant_id: uuid.UUID, status: str) -> dict[str, Any]:
        async def has_status() -> bool:
            response = await self.placement_response(participant_id)
            # Right after an outage test terminated every database connection, a request can still
            # meet a pooled connection whose termination asyncpg has not fully seen: it answers
            # 503 "try again shortly", which is what waiting here means.
            if response.status_code in (404, 503):
                return False
            assert response.status_code == 200, response.text
            return bool(response.json()["status"] == status)

        await eventually(has_status, what=f"participant {participant_id} becoming {status}")
        placement = await self.placement_of(participant_id)
        assert placement is not None
        return placement

    async def workshop(self, area: WorkArea) -> dict[str, Any]:
        """The area's default workshop (the first start made one per area)."""
        response = await self.client.get("/v1/workshops", headers=CASEWORKER)
        assert response.status_code == 200, response.text
        [found] = [item for item in response.json() if item["work_area"] == area.value]
        return dict(found)

    async def workshop_id(self, area: WorkArea) -> uuid.UUID:
        return uuid.UUID((await self.workshop(area))["workshop_id"])

    async def offers(self, **filters: str) -> list[dict[str, Any]]:
        response = await self.client.get("/v1/offers", params={"limit": "200", **filters}, headers=CASEWORKER)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def open_offer_of(self, participant_id: uuid.UUID) -> dict[str, Any] | None:
        offers = await self.offers(status="open", participant_id=str(participant_id))
        return offers[0] if offers else None

    async def wait_for_offer(self, participant_id: uuid.UUID, timeout_s: float = 30.0) -> dict[str, Any]:
        """The open offer the participant holds, once they hold one."""

        async def offered() -> bool:
            return await self.open_offer_of(participant_id) is not None

        await eventually(offered, timeout_s=timeout_s, what=f"an offer to {participant_id}")
        offer = await self.open_offer_of(participant_id)
        assert offer is not None
        return offer

    async def accept(self, offer_id: str | uuid.UUID) -> httpx.Response:
        return await self.client.post(f"/v1/offers/{offer_id}/accept", headers=CASEWORKER)

    async def outbox_events(self, *event_types: str) -> list[EventEnvelope]:
        """What the outbox holds (of these types), in the order written."""
        connection = await asyncpg.connect(self.settings.database_url)
        try:
            rows = await connection.fetch("SELECT payload FROM outbox ORDER BY id")
        finally:
            await connection.close()
        events = [EventEnvelope.from_json_bytes(row["payload"].encode()) for row in rows]
        return [event for event in events if not event_types or event.event_type in event_types]

    async def published(self, until: Callable[[list[EventEnvelope]], bool]) -> list[EventEnvelope]:
        return await collect_events(
            self.bootstrap_servers, self.settings.topic(PLACEMENT_EVENTS), until=until
        )

    async def all_published(self) -> list[EventEnvelope]:
        """Everything the outbox holds, once the relay has published all of it (deduplicated)."""
        connection = await asyncpg.connect(self.settings.database_url)
        try:

            async def relay_is_done() -> bool:
                pending = await connection.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                return bool(pending == 0)

            await eventually(relay_is_done, what="the outbox relay publishing every row")
            total = await connection.fetchval("SELECT count(*) FROM outbox")
        finally:
            await connection.close()
        events = await self.published(until=lambda events: len({e.event_id for e in events}) >= total)
        return list({event.event_id: event for event in events}.values())

    async def wait_until_consumed(self) -> None:
        """Until placement's consumer group has committed every record of the topics it reads."""
        topics = [self.settings.topic(INTAKE_EVENTS), self.settings.topic(OUTCOMES_EVENTS)]
        reader = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers)
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers)
        await reader.start()
        await admin.start()
        try:
            partitions = [
                TopicPartition(described["topic"], partition["partition"])
                for described in await admin.describe_topics(topics)
                for partition in described["partitions"]
            ]
            ends = await reader.end_offsets(partitions)

            async def all_committed() -> bool:
                committed = await admin.list_consumer_group_offsets(self.settings.topic("placement"))
                return all(
                    end == 0 or (tp in committed and committed[tp].offset >= end) for tp, end in ends.items()
                )

            await eventually(all_committed, what="placement consuming every published record")
        finally:
            await reader.stop()
            await admin.close()


@pytest.fixture
async def placement_settings(kafka_broker, postgres_server) -> PlacementSettings:  # type: ignore[no-untyped-def]
    settings = PlacementSettings(
        database_url=postgres_server.create_database(f"placement_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka_broker.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        outbox_poll_interval_s=0.2,
        default_workshop_seats="care=1,bike_metal=0",
    )
    # Created up front so tests can publish before the service has set its topics up.
    await create_topics(
        settings.kafka_bootstrap_servers, settings.topic(INTAKE_EVENTS), settings.topic(OUTCOMES_EVENTS)
    )
    return settings


@pytest.fixture
async def placement(placement_settings: PlacementSettings) -> AsyncIterator[PlacementUnderTest]:
    app = create_app(placement_settings)
    async with running_app(app) as client:
        yield PlacementUnderTest(app=app, client=client, settings=placement_settings)
