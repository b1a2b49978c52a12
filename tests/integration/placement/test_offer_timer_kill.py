"""The offer timer through kill -9: placement runs as a real process (`python -m placement`) whose
seat offers run out every second and a half, nobody answers them, and the process is killed with
SIGKILL at random moments and started again. Each offer expires exactly once, every expiry passes
the seat on in the same transaction (one open offer for the one seat, always), and every event the
timer wrote reaches placement.events."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import random
from collections import Counter
from pathlib import Path

import asyncpg
import pytest

from placement.settings import PlacementSettings
from tests.integration.placement.conftest import enrolled, exited
from tests.support.kafka_tools import collect_events, publish
from tests.support.served_app import free_port
from tests.support.service_app import eventually
from tests.support.service_process import ServiceProcess
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.events.vocabulary import WorkArea
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

pytestmark = pytest.mark.integration

OFFER_SECONDS = 1.5
WAITING = 40  # more than can be offered in the test: each person is offered this seat once
KILLS = 4
EXIT_DATE = dt.date(2026, 11, 24)


def placement_process(settings: PlacementSettings, log: Path) -> ServiceProcess:
    port = free_port()
    environment = os.environ | {
        "DATABASE_URL": settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": settings.kafka_topic_prefix,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "ENVIRONMENT": "test",
        "OUTBOX_POLL_INTERVAL_S": "0.2",
        "DEFAULT_WORKSHOP_SEATS": "care=1,bike_metal=0",
        "OFFER_VALID_HOURS": str(OFFER_SECONDS / 3600),
        "OFFER_EXPIRY_POLL_S": "0.1",
    }
    environment.pop("JWT_SECRET", None)
    environment.pop("KAFKA_GROUP_INSTANCE_ID", None)  # derived from the port: stable across restarts
    return ServiceProcess("placement", port, environment, log)


async def fetch(settings: PlacementSettings, query: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(settings.database_url)
    try:
        return list(await connection.fetch(query))
    finally:
        await connection.close()


async def outbox_events(settings: PlacementSettings) -> list[EventEnvelope]:
    rows = await fetch(settings, "SELECT payload FROM outbox ORDER BY id")
    return [EventEnvelope.from_json_bytes(row["payload"].encode()) for row in rows]


async def expirations(settings: PlacementSettings) -> int:
    return sum(e.event_type == "OfferExpired" for e in await outbox_events(settings))


async def test_each_offer_expires_exactly_once_while_placement_is_killed_again_and_again(
    placement_settings: PlacementSettings, tmp_path: Path
) -> None:
    settings = placement_settings
    service = placement_process(settings, tmp_path / "placement.log")
    service.start()
    try:
        await asyncio.to_thread(service.wait_until_ready)
        seated = enrolled(WorkArea.CARE)
        await publish(settings.kafka_bootstrap_servers, settings.topic(INTAKE_EVENTS), seated)
        # Seated first: enrolments on other partitions may otherwise be consumed before it.
        await eventually(lambda: _participants(settings, 1), timeout_s=30, what="the first person placed")
        for _ in range(WAITING):
            await publish(
                settings.kafka_bootstrap_servers, settings.topic(INTAKE_EVENTS), enrolled(WorkArea.CARE)
            )
        await eventually(
            lambda: _participants(settings, WAITING + 1), timeout_s=30, what="every enrolment decided"
        )
        await publish(
            settings.kafka_bootstrap_servers,
            settings.topic(OUTCOMES_EVENTS),
            exited(seated.participant_id, EXIT_DATE),
        )
        await eventually(lambda: _at_least_expired(settings, 1), timeout_s=30, what="a first expiry")

        rounds = random.Random()
        for kill in range(KILLS):
            await asyncio.sleep(rounds.uniform(0.2, 2.0))
            service.kill()
            print(f"\n[offer timer] kill -9 #{kill + 1} after {await expirations(settings)} expirations")
            await asyncio.sleep(rounds.uniform(0.0, 2.0))  # a deadline may pass while nothing runs
            service.start()
            await asyncio.to_thread(service.wait_until_ready)
        after_kills = await expirations(settings)
        await eventually(
            lambda: _at_least_expired(settings, after_kills + 2), timeout_s=30, what="expiries go on"
        )
    finally:
        service.stop()

    offers = await fetch(settings, "SELECT offer_id, participant_id, status FROM offers")
    events = await outbox_events(settings)
    expired = [e for e in events if e.event_type == "OfferExpired"]
    offered = [e for e in events if e.event_type == "PlacementOffered"]
    statuses = Counter(row["status"] for row in offers)
    print(f"[offer timer] {len(offers)} offers, {statuses}; service killed {service.kills} times")

    assert Counter(Counter(e.data["offer_id"] for e in expired).values()) == {1: len(expired)}
    assert {e.data["offer_id"] for e in expired} == {
        str(r["offer_id"]) for r in offers if r["status"] == "expired"
    }
    assert {e.data["offer_id"] for e in offered} == {str(r["offer_id"]) for r in offers}
    assert statuses["open"] == 1  # the one seat is always offered to exactly one person
    assert set(statuses) == {"open", "expired"}
    assert len(expired) >= KILLS

    published = await collect_events(
        settings.kafka_bootstrap_servers,
        settings.topic(PLACEMENT_EVENTS),
        until=lambda seen: {e.event_id for e in events} <= {e.event_id for e in seen},
    )
    assert {e.event_id for e in published} == {e.event_id for e in events}


async def _participants(settings: PlacementSettings, count: int) -> bool:
    rows = await fetch(
        settings, "SELECT count(*) AS n FROM participants WHERE status IN ('placed', 'waitlisted')"
    )
    return int(rows[0]["n"]) >= count


async def _at_least_expired(settings: PlacementSettings, count: int) -> bool:
    return await expirations(settings) >= count
