"""Services as real processes for the system-level measurements (P1, P5): each with a fresh
database, the run's topic prefix and a free port, started together and stopped together."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from tests.support.service_process import ServiceProcess
from werkstattnetz_devstack.ports import find_free_ports
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

LOG_FOLDER = Path(".cache/bench/services")


def service_environment(
    *, database_url: str, kafka: KafkaForTests, topic_prefix: str, port: int, extra: Mapping[str, str]
) -> dict[str, str]:
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": topic_prefix,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "ENVIRONMENT": "test",
    }
    environment.pop("JWT_SECRET", None)  # the bench signs its tokens with the development secret
    return environment | dict(extra)


def database_for(postgres: PostgresForTests, label: str) -> str:
    return postgres.create_database(f"bench_{label}_{uuid.uuid4().hex[:8]}")


async def outbox_published(database_url: str, timeout_s: float = 60.0) -> float:
    """Until the service's relay published what its outbox holds (so it cannot slow what is
    measured next); returns how long that took."""
    started = time.perf_counter()
    connection = await asyncpg.connect(database_url)
    try:
        while await connection.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"):
            if time.perf_counter() - started > timeout_s:
                raise TimeoutError(f"the relay did not publish its outbox within {timeout_s:.0f} s")
            await asyncio.sleep(0.05)
    finally:
        await connection.close()
    return time.perf_counter() - started


@asynccontextmanager
async def running(
    kafka: KafkaForTests,
    topic_prefix: str,
    services: list[tuple[str, str]],
    extra: Mapping[str, str],
) -> AsyncIterator[dict[str, list[ServiceProcess]]]:
    """Start every (service name, database url) at once, wait until all are ready, stop them all.

    Several entries with the same name and database are replicas of one service.
    """
    folder = LOG_FOLDER / topic_prefix.rstrip(".")
    started: dict[str, list[ServiceProcess]] = {}
    try:
        # All ports at once: chosen one at a time, the kernel may hand out one twice (two
        # replicas on one port, the second never serving while the first answers for both).
        ports = find_free_ports(len(services))
        for number, ((name, database_url), port) in enumerate(zip(services, ports, strict=True)):
            process = ServiceProcess(
                name=name,
                port=port,
                environment=service_environment(
                    database_url=database_url, kafka=kafka, topic_prefix=topic_prefix, port=port, extra=extra
                ),
                log=folder / f"{name}-{number}.log",
            )
            process.start()
            started.setdefault(name, []).append(process)
        everyone = [process for replicas in started.values() for process in replicas]
        await asyncio.gather(*(asyncio.to_thread(process.wait_until_ready) for process in everyone))
        yield started
    finally:
        everyone = [process for replicas in started.values() for process in replicas]
        await asyncio.gather(*(asyncio.to_thread(process.stop) for process in everyone))
