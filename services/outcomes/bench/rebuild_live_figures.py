"""Benchmark: how fast does a fresh live-reporting worker rebuild its figures from the topics?

Publishes EVENTS events (default 1,000,000: referral, enrolment, placement, exit and, for about
60 %, the integration of each person) to fresh topics, starts `python -m outcomes_live` on them,
and measures from its readiness until its figures count every event (events/s). Then it kills the
worker with -9, starts it again and measures how long the recovery from the changelog takes.

    .venv/bin/python services/outcomes/bench/rebuild_live_figures.py [EVENTS]

Uses the broker named by KAFKA_BOOTSTRAP_SERVERS, else starts a local one like the tests do.
Not a test: it asserts nothing but that the figures are complete, and prints what it measured.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer

from werkstattnetz_devstack.testing import provide_kafka
from werkstattnetz_shared.messaging.topics import (
    INTAKE_EVENTS,
    OUTCOMES_EVENTS,
    PLACEMENT_EVENTS,
    TopicSettings,
    ensure_topics,
)
from werkstattnetz_shared.settings import DEVELOPMENT_JWT_SECRET
from werkstattnetz_shared.web.auth import TokenVerifier

AREAS = ["bike_metal", "garden_landscape", "building_services", "care"]
FUNDERS = ["jobcenter", "jobcenter", "city", "youth_office"]
DESTINATIONS = ["apprenticeship", "employment", "therapy", "school", "dropout"]
INTEGRATED = {"apprenticeship", "employment", "therapy"}


def envelope(
    event_type: str, pid: str, day: dt.date, data: dict[str, object], cause: str | None = None
) -> bytes:
    event_id = str(uuid.uuid4())
    return json.dumps(
        {
            "event_id": event_id,
            "event_type": event_type,
            "event_version": 1,
            "occurred_at": f"{day.isoformat()}T08:00:00+00:00",
            "producer": "bench",
            "participant_id": pid,
            "correlation_id": event_id,
            "causation_id": cause,
            "data": data,
        },
        separators=(",", ":"),
    ).encode()


def person_events(rng: random.Random) -> Iterator[tuple[str, str, bytes]]:
    pid = str(uuid.UUID(int=rng.getrandbits(128)))
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))
    area, funder = rng.choice(AREAS), rng.choice(FUNDERS)
    yield (
        INTAKE_EVENTS,
        pid,
        envelope(
            "ReferralReceived",
            pid,
            day,
            {
                "referral_source": "jobcenter",
                "received_on": day.isoformat(),
                "age_band": "18-20",
                "preferred_work_areas": [area],
            },
        ),
    )
    enrolment = envelope(
        "ParticipantEnrolled",
        pid,
        day,
        {
            "age_band": "18-20",
            "referral_source": "jobcenter",
            "funder": funder,
            "preferred_work_areas": [area],
            "enrolled_on": day.isoformat(),
            "enrolment_id": str(uuid.uuid4()),
        },
    )
    yield INTAKE_EVENTS, pid, enrolment
    cause = json.loads(enrolment)["event_id"]
    yield (
        PLACEMENT_EVENTS,
        pid,
        envelope(
            "ParticipantPlaced",
            pid,
            day,
            {"work_area": area, "placed_on": day.isoformat(), "from_waitlist": False},
            cause,
        ),
    )
    exit_day = day + dt.timedelta(days=rng.randint(30, 400))
    destination = rng.choice(DESTINATIONS)
    exit_data = {
        "destination": destination,
        "exit_date": exit_day.isoformat(),
        "integrated": destination in INTEGRATED,
        "work_area": area,
        "funder": funder,
    }
    yield OUTCOMES_EVENTS, pid, envelope("ParticipantExited", pid, exit_day, exit_data)
    if destination in INTEGRATED:
        del exit_data["integrated"]
        yield OUTCOMES_EVENTS, pid, envelope("IntegrationAchieved", pid, exit_day, exit_data)


async def publish(servers: str, prefix: str, total: int) -> dict[str, int]:
    await ensure_topics(
        servers,
        [prefix + t for t in (INTAKE_EVENTS, PLACEMENT_EVENTS, OUTCOMES_EVENTS)],
        TopicSettings(partitions=3),
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=servers, linger_ms=20, max_batch_size=256 * 1024, compression_type=None, acks=1
    )
    await producer.start()
    rng, sent, people, started = random.Random(1), 0, 0, time.monotonic()
    pending: list[asyncio.Future[object]] = []
    try:
        while sent < total:
            people += 1
            for topic, key, value in person_events(rng):
                pending.append(await producer.send(prefix + topic, value=value, key=key.encode()))
                sent += 1
            if len(pending) >= 20_000:
                await asyncio.gather(*pending)
                pending.clear()
                print(f"\r[bench] published {sent:,}/{total:,} events", end="", flush=True)
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    print(f"\r[bench] published {sent:,} events of {people:,} people in {time.monotonic() - started:.0f} s")
    return {"events": sent, "people": people}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_worker(servers: str, prefix: str, port: int, folder: Path) -> subprocess.Popen[bytes]:
    environment = os.environ | {
        "KAFKA_BOOTSTRAP_SERVERS": servers,
        "KAFKA_TOPIC_PREFIX": prefix,
        "HTTP_PORT": str(port),
        "ENVIRONMENT": "test",
        "LIVE_DATA_DIR": str(folder / "data"),
        "LOG_LEVEL": "WARNING",
    }
    log = (folder / "worker.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "outcomes_live"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


async def wait_ready(client: httpx.AsyncClient, timeout_s: float = 600) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        with contextlib.suppress(httpx.HTTPError):
            if (await client.get("/health/ready")).status_code == 200:
                return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise TimeoutError("the worker never became ready")


async def wait_complete(
    client: httpx.AsyncClient, people: int, events: int, headers: dict[str, str]
) -> float:
    started, last_print = time.monotonic(), 0.0
    while True:
        total = (await client.get("/v1/live/figures", headers=headers)).json()["total"]
        done = total["referred"] == people and total["enrolled"] == people and total["exited"] == people
        elapsed = time.monotonic() - started
        if done or elapsed - last_print >= 5:
            last_print = elapsed
            print(
                f"[bench] {elapsed:6.1f} s: referred {total['referred']:,}, enrolled {total['enrolled']:,}, "
                f"placed {total['placed']:,}, exited {total['exited']:,}, integrated {total['integrated']:,}",
                flush=True,
            )
        if done:
            return elapsed
        await asyncio.sleep(0.5)


async def main(total: int) -> None:
    with contextlib.ExitStack() as infrastructure:
        servers = (
            os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
            or infrastructure.enter_context(provide_kafka()).bootstrap_servers
        )
        prefix = f"bench{uuid.uuid4().hex[:8]}."
        published = await publish(servers, prefix, total)
        folder, port = Path(tempfile.mkdtemp(prefix="live-bench-")), free_port()
        token = TokenVerifier(DEVELOPMENT_JWT_SECRET, "HS256", "werkstattnetz", "werkstattnetz-staff")
        headers = {"Authorization": f"Bearer {token.issue('bench', ['reporting'])}"}
        worker = start_worker(servers, prefix, port, folder)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                ready = await wait_ready(client)
                print(f"[bench] fresh worker ready after {ready:.1f} s; counting …", flush=True)
                seconds = await wait_complete(client, published["people"], published["events"], headers)
                rate = published["events"] / seconds
                print(
                    f"[bench] RESULT: {published['events']:,} events counted in {seconds:.1f} s "
                    f"= {rate:,.0f} events/s ({published['people']:,} participants)"
                )
                await asyncio.sleep(3)  # past a commit
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
                worker = start_worker(servers, prefix, port, folder)
                recovered = await wait_ready(client)
                await wait_complete(client, published["people"], published["events"], headers)
                print(
                    f"[bench] RESULT: after kill -9, tables of {published['people']:,} participants "
                    f"recovered from the changelog in {recovered:.1f} s"
                )
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
            print(f"[bench] worker log: {folder / 'worker.log'}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000))
