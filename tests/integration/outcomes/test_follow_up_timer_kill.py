"""The follow-up timer through kill -9: outcomes runs as a real process (`python -m outcomes`)
whose follow-ups fall due a second and a half after each exit, and the process is killed with
SIGKILL at random moments and started again while exits are recorded and follow-ups fall due.
Each follow-up is announced exactly once (one FollowUpDue, its row marked in the same transaction),
and every FollowUpDue reaches outcomes.events."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
import uuid
from collections import Counter
from pathlib import Path

import asyncpg
import httpx
import pytest

from outcomes.settings import OutcomesSettings
from tests.integration.outcomes.conftest import CASEWORKER, enrolled
from tests.integration.outcomes.follow_up_support import follow_ups_in_database, outbox, outcomes_settings
from tests.support.clock import service_today
from tests.support.kafka_tools import collect_events, publish
from tests.support.served_app import free_port
from tests.support.service_app import eventually
from tests.support.service_process import ServiceProcess
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.events.vocabulary import Funder
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS

pytestmark = pytest.mark.integration

DELAY_S = 1.5
KILLS = 4
EXITS_PER_ROUND = 10
ENROLLED_ON = service_today() - dt.timedelta(days=60)
EXIT_DAY = service_today() - dt.timedelta(days=1)


def outcomes_process(settings: OutcomesSettings, log: Path) -> ServiceProcess:
    port = free_port()
    environment = os.environ | {
        "DATABASE_URL": settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": settings.kafka_topic_prefix,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "ENVIRONMENT": "test",
        "OUTBOX_POLL_INTERVAL_S": "0.2",
        "FOLLOW_UP_DELAY_S": str(DELAY_S),
        "FOLLOW_UP_POLL_S": "0.1",
    }
    environment.pop("JWT_SECRET", None)
    environment.pop("KAFKA_GROUP_INSTANCE_ID", None)  # derived from the port: stable across restarts
    return ServiceProcess("outcomes", port, environment, log)


async def count(settings: OutcomesSettings, query: str) -> int:
    connection = await asyncpg.connect(settings.database_url)
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


async def test_each_follow_up_is_announced_exactly_once_while_outcomes_is_killed_again_and_again(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests, tmp_path: Path
) -> None:
    settings = await outcomes_settings(kafka_broker, postgres_server)
    service = outcomes_process(settings, tmp_path / "outcomes.log")
    people = [uuid.uuid4() for _ in range((KILLS + 1) * EXITS_PER_ROUND)]
    service.start()
    try:
        await asyncio.to_thread(service.wait_until_ready)
        for participant_id in people:
            envelope = enrolled(participant_id, Funder.JOBCENTER, ENROLLED_ON)
            await publish(settings.kafka_bootstrap_servers, settings.topic(INTAKE_EVENTS), envelope)

        async def all_enrolled() -> bool:
            return await count(settings, "SELECT count(*) FROM stays") == len(people)

        await eventually(all_enrolled, timeout_s=60, what="every enrolment consumed")

        rounds = random.Random()
        waiting = iter(people)
        for kill in range(KILLS + 1):
            async with httpx.AsyncClient(base_url=service.url, headers=CASEWORKER, timeout=10) as client:
                for _ in range(EXITS_PER_ROUND):
                    response = await client.post(
                        f"/v1/participants/{next(waiting)}/exit",
                        json={"destination": "employment", "exit_date": EXIT_DAY.isoformat()},
                    )
                    assert response.status_code == 201, response.text
                    await asyncio.sleep(rounds.uniform(0.0, 0.2))
            if kill == KILLS:
                break
            await asyncio.sleep(rounds.uniform(0.2, 2.0))  # some fall due now, some while it is down
            service.kill()
            so_far = await count(
                settings, "SELECT count(*) FROM follow_ups WHERE due_published_at IS NOT NULL"
            )
            print(f"\n[follow-up timer] kill -9 #{kill + 1} after {so_far} announced")
            await asyncio.sleep(rounds.uniform(0.0, 2.0))
            service.start()
            await asyncio.to_thread(service.wait_until_ready)

        async def all_announced() -> bool:
            return (
                await count(settings, "SELECT count(*) FROM follow_ups WHERE due_published_at IS NULL") == 0
            )

        await eventually(all_announced, timeout_s=30, what="every follow-up announced")
        await asyncio.sleep(0.5)
    finally:
        service.stop()

    rows = await follow_ups_in_database(settings)
    announced = await outbox(settings, "FollowUpDue")
    assert len(rows) == len(people)
    assert Counter(Counter(event.data["follow_up_id"] for event in announced).values()) == {1: len(people)}
    assert {event.data["follow_up_id"] for event in announced} == {str(row["follow_up_id"]) for row in rows}
    late = [(row["due_published_at"] - row["due_at"]).total_seconds() for row in rows]
    print(
        f"[follow-up timer] {len(rows)} follow-ups, each announced once; killed {service.kills} times; "
        f"announced after their moment: median {sorted(late)[len(late) // 2]:.2f} s, max {max(late):.2f} s"
    )

    published = await collect_events(
        settings.kafka_bootstrap_servers,
        settings.topic(OUTCOMES_EVENTS),
        until=lambda seen: {e.event_id for e in announced} <= {e.event_id for e in seen},
    )
    # The relay may publish a row twice if killed between the broker's ack and its mark (consumers
    # absorb that by event id); what counts is one FollowUpDue event per follow-up, all published.
    assert {e.event_id for e in published if e.event_type == "FollowUpDue"} == {e.event_id for e in announced}
