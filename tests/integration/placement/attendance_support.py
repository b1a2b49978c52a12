"""placement running in-process for the attendance tests, with workshops, participants and spells
written straight into its database (the catalogue and placement APIs are not what is tested here).

Every service gets a fresh database and topic prefix on the session's real PostgreSQL and Kafka.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from placement.app import create_app
from placement.settings import PlacementSettings
from tests.support.kafka_tools import collect_events, create_topics, unique_prefix
from tests.support.service_app import running_app
from tests.support.tokens import auth_header
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

LEAD = "lena.lead"
LEAD_HEADERS = auth_header("workshop_lead", subject=LEAD)
OTHER_LEAD_HEADERS = auth_header("workshop_lead", subject="olaf.lead")
MANAGER = auth_header("manager", subject="mara.manager")
ADMIN = auth_header("admin", subject="ada.admin")
CASEWORKER = auth_header("caseworker", subject="cara.case")
REPORTING = auth_header("reporting", subject="rita.reporting")
WEEKDAYS = (1, 2, 3, 4, 5)

# Fixed days in the past (so never refused as future), Monday 5 October 2026 onwards.
MONDAY = dt.date(2026, 10, 5)


def weekday(n: int) -> dt.date:
    """The n-th working day (Monday to Friday) from MONDAY on, counting from 0."""
    return MONDAY + dt.timedelta(days=n // 5 * 7 + n % 5)


def entry(participant_id: uuid.UUID, status: str, hours: float | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"participant_id": str(participant_id), "status": status}
    if hours is not None:
        body["hours_present"] = hours
    return body


@dataclass
class AttendanceService:
    client: httpx.AsyncClient
    settings: PlacementSettings

    @asynccontextmanager
    async def database(self) -> AsyncIterator[asyncpg.Connection]:
        connection = await asyncpg.connect(self.settings.database_url)
        try:
            yield connection
        finally:
            await connection.close()

    async def sql(self, query: str, *args: Any) -> list[asyncpg.Record]:
        async with self.database() as connection:
            return list(await connection.fetch(query, *args))

    async def workshop(
        self, *, lead: str | None = LEAD, opening_days: Sequence[int] = WEEKDAYS, area: str = "care"
    ) -> uuid.UUID:
        workshop_id = uuid.uuid4()
        await self.sql(
            "INSERT INTO workshops (workshop_id, work_area, name, seats, lead_instructor, opening_days) "
            "VALUES ($1, $2, $3, 14, $4, $5)",
            workshop_id,
            area,
            f"Werkstatt {workshop_id.hex[:8]}",
            lead,
            list(opening_days),
        )
        return workshop_id

    async def placed(
        self,
        workshop_id: uuid.UUID,
        placed_on: dt.date = MONDAY,
        ended_on: dt.date | None = None,
        *,
        funders: Sequence[str] = ("jobcenter",),
        participant_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """A participant with a spell in the workshop (a second call with their id adds a spell)."""
        participant_id = participant_id or uuid.uuid4()
        async with self.database() as connection, connection.transaction():
            area = await connection.fetchval(
                "SELECT work_area FROM workshops WHERE workshop_id = $1", workshop_id
            )
            await connection.execute(
                """
                INSERT INTO participants (participant_id, status, work_area, workshop_id, funders, funder,
                                          enrolled_on, placed_on)
                VALUES ($1, 'placed', $2, $3, $4, $5, $6, $6)
                ON CONFLICT (participant_id) DO UPDATE SET workshop_id = $3, work_area = $2
                """,
                participant_id,
                area,
                workshop_id,
                list(funders),
                funders[0] if funders else None,
                placed_on,
            )
            await connection.execute(
                "INSERT INTO placement_spells (participant_id, workshop_id, placed_on, ended_on, end_reason) "
                "VALUES ($1, $2, $3, $4, $5)",
                participant_id,
                workshop_id,
                placed_on,
                ended_on,
                "transferred" if ended_on else None,
            )
        return participant_id

    async def put_day(
        self,
        workshop_id: uuid.UUID,
        day: dt.date,
        *entries: dict[str, Any],
        headers: dict[str, str] = LEAD_HEADERS,
    ) -> httpx.Response:
        return await self.client.put(
            f"/v1/workshops/{workshop_id}/attendance/{day.isoformat()}",
            json={"entries": list(entries)},
            headers=headers,
        )

    async def record(self, workshop_id: uuid.UUID, day: dt.date, *entries: dict[str, Any]) -> dict[str, Any]:
        response = await self.put_day(workshop_id, day, *entries)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def outbox_events(self, event_type: str = "AbsenceThresholdReached") -> list[dict[str, Any]]:
        """What the outbox holds of one type, oldest first (committed together with the recording)."""
        rows = await self.sql("SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", event_type)
        return [
            EventEnvelope.from_json_bytes(row["payload"].encode()).model_dump(mode="json") for row in rows
        ]

    async def published(self, count: int) -> list[EventEnvelope]:
        """`AbsenceThresholdReached` on placement.events, once `count` of them are there."""

        def enough(events: list[EventEnvelope]) -> bool:
            return sum(e.event_type == "AbsenceThresholdReached" for e in events) >= count

        events = await collect_events(
            self.settings.kafka_bootstrap_servers, self.settings.topic(PLACEMENT_EVENTS), until=enough
        )
        return [event for event in events if event.event_type == "AbsenceThresholdReached"]


def attendance_settings(
    kafka: KafkaForTests, postgres: PostgresForTests, **overrides: Any
) -> PlacementSettings:
    return PlacementSettings(
        database_url=postgres.create_database(f"placement_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        outbox_poll_interval_s=0.2,
        **overrides,
    )


@asynccontextmanager
async def attendance_service(
    kafka: KafkaForTests, postgres: PostgresForTests, **overrides: Any
) -> AsyncIterator[AttendanceService]:
    settings = attendance_settings(kafka, postgres, **overrides)
    await create_topics(
        settings.kafka_bootstrap_servers, settings.topic(INTAKE_EVENTS), settings.topic(OUTCOMES_EVENTS)
    )
    async with running_app(create_app(settings)) as client:
        yield AttendanceService(client=client, settings=settings)
