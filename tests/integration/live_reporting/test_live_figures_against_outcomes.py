"""The live figures equal a recount from the outcomes database.

The outcomes service (in-process, its own PostgreSQL database) and the live-reporting worker (a real
process) read the same topics. Enrolments and placements are published with redeliveries, some
placements before their enrolments and stale waitlistings after them; caseworkers record exits
through outcomes' API, which publishes them. The worker is killed with -9 halfway through the
exits and started again. Afterwards what the worker counts from the events — exits, integrations in
both views, per funder and per work area, and the stays placed — equals what outcomes' report and
its tables count.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from outcomes.app import create_app
from outcomes.settings import OutcomesSettings
from tests.integration.live_reporting.test_live_figures_worker import REPORTING, worker_process
from tests.support.kafka_tools import create_topics, publish, unique_prefix
from tests.support.service_app import eventually, running_app
from tests.support.tokens import auth_header
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.events import (
    EventEnvelope,
    ParticipantEnrolled,
    ParticipantPlaced,
    ParticipantWaitlisted,
)
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

pytestmark = pytest.mark.integration

PEOPLE = 48
EXITING = 36
CASEWORKER = auth_header("caseworker")
MANAGER = auth_header("manager")
FUNDERS = (Funder.JOBCENTER, Funder.CITY, Funder.YOUTH_OFFICE)
AREAS = tuple(WorkArea)
DESTINATIONS = tuple(Destination)


def person_events(rng: random.Random) -> tuple[uuid.UUID, list[tuple[str, EventEnvelope]]]:
    participant_id = uuid.uuid4()
    enrolled_on = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randrange(120))
    enrolment = EventEnvelope.wrap(
        ParticipantEnrolled(
            age_band=AgeBand.AGE_18_20,
            referral_source=ReferralSource.JOBCENTER,
            funder=rng.choice(FUNDERS),
            preferred_work_areas=[rng.choice(AREAS)],
            enrolled_on=enrolled_on,
            enrolment_id=uuid.uuid4(),
        ),
        producer="intake",
        participant_id=participant_id,
        occurred_at=dt.datetime.combine(enrolled_on, dt.time(9), dt.UTC),
    )
    area = WorkArea(enrolment.data["preferred_work_areas"][0])
    waited = dt.timedelta(days=rng.randrange(0, 30))
    waitlisted = EventEnvelope.wrap(
        ParticipantWaitlisted(work_area=area, position=1),
        producer="placement",
        participant_id=participant_id,
        causation_id=enrolment.event_id,
        occurred_at=dt.datetime.combine(enrolled_on, dt.time(10), dt.UTC),
    )
    placed = EventEnvelope.wrap(
        ParticipantPlaced(work_area=area, placed_on=enrolled_on + waited, from_waitlist=True),
        producer="placement",
        participant_id=participant_id,
        occurred_at=dt.datetime.combine(enrolled_on + waited, dt.time(11), dt.UTC),
    )
    events = [(INTAKE_EVENTS, enrolment), (PLACEMENT_EVENTS, waitlisted), (PLACEMENT_EVENTS, placed)]
    if rng.random() < 0.3:  # the placement overtakes the enrolment (another topic, another partition)
        events = [events[2], events[0], events[1]]
    if rng.random() < 0.3:  # a stale waitlisting replayed after the placement
        events.append((PLACEMENT_EVENTS, waitlisted))
    if rng.random() < 0.3:  # the enrolment redelivered
        events.append((INTAKE_EVENTS, enrolment))
    return participant_id, events


async def live_total(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get("/v1/live/figures", params=params, headers=REPORTING)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def outcomes_report(client: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    response = await client.get("/v1/reports/integration", params=params, headers=MANAGER)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def count_in_outcomes(database_url: str, query: str) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


async def test_live_figures_equal_the_recount_from_the_outcomes_database(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests, tmp_path: Path
) -> None:
    settings = OutcomesSettings(
        database_url=postgres_server.create_database(f"outcomes_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka_broker.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        outbox_poll_interval_s=0.2,
    )
    servers = settings.kafka_bootstrap_servers
    await create_topics(
        servers,
        settings.topic(INTAKE_EVENTS),
        settings.topic(PLACEMENT_EVENTS),
        settings.topic(OUTCOMES_EVENTS),
    )
    rng = random.Random(8)
    people = [person_events(rng) for _ in range(PEOPLE)]
    worker = worker_process(servers, settings.kafka_topic_prefix, tmp_path)
    worker.start()
    try:
        await asyncio.to_thread(worker.wait_until_ready)
        async with (
            running_app(create_app(settings)) as outcomes,
            httpx.AsyncClient(base_url=worker.url, timeout=10) as live,
        ):
            for _, events in people:
                for topic, envelope in events:
                    await publish(servers, settings.topic(topic), envelope)

            placed_in_outcomes: list[int] = []

            async def everyone_placed() -> bool:
                placed = "SELECT count(*) FROM stays WHERE placement_status = 'placed'"
                placed_in_outcomes.append(await count_in_outcomes(settings.database_url, placed))
                return placed_in_outcomes[-1] == PEOPLE

            try:
                await eventually(everyone_placed, timeout_s=120, what="outcomes knowing every placement")
            except AssertionError:
                assert placed_in_outcomes[-1] == PEOPLE, placed_in_outcomes[-10:]
                raise
            for number, (participant_id, events) in enumerate(people[:EXITING]):
                if number == EXITING // 2:
                    worker.kill()  # halfway through the exits
                [placed_on] = {e.data["placed_on"] for _, e in events if e.event_type == "ParticipantPlaced"}
                recorded = await outcomes.post(
                    f"/v1/participants/{participant_id}/exit",
                    json={
                        "destination": rng.choice(DESTINATIONS).value,
                        "exit_date": max(dt.date.fromisoformat(placed_on), dt.date(2025, 9, 1)).isoformat(),
                    },
                    headers=CASEWORKER,
                )
                assert recorded.status_code == 201, recorded.text
            worker.start()
            await asyncio.to_thread(worker.wait_until_ready)

            report = await outcomes_report(outcomes)
            expected = {
                "exited": report["exits"],
                "integrated": report["integrations"],
                "jobcenter_integrated": report["jobcenter_integrations"],
                "enrolled": PEOPLE,
                "placed": PEOPLE,
            }
            seen: dict[str, Any] = {}

            async def agree() -> bool:
                total = (await live_total(live))["total"]
                seen.update({name: total[name] for name in expected})
                return seen == expected

            try:
                await eventually(agree, timeout_s=120, what="live figures to equal the recount")
            except AssertionError:
                assert seen == expected  # shows the difference
                raise
            assert report["exits"] == EXITING

            body = await live_total(live)
            for funder in FUNDERS:
                by_funder = await outcomes_report(outcomes, funder=funder.value)
                live_funder = body["by_funder"].get(funder.value, {"exited": 0, "integrated": 0})
                assert (live_funder["exited"], live_funder["integrated"]) == (
                    by_funder["exits"],
                    by_funder["integrations"],
                ), funder
            for area, line in report["by_work_area"].items():
                live_area = body["by_work_area"].get(area, {"exited": 0, "integrated": 0})
                assert (live_area["exited"], live_area["integrated"]) == (
                    line["exits"],
                    line["integrations"],
                ), area
            print(f"\n[live vs outcomes] {expected}; worker killed {worker.kills} time(s)")
    finally:
        worker.stop()
