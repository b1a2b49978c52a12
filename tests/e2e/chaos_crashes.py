"""The chaos test's crashes, one after another while the clients stream: kill -9 of each service
(started again with the same environment), of the Kafka broker, and an immediate restart of
PostgreSQL. Each crash waits until what it took down is back (ready) before the next one comes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from tests.e2e.chaos_system import ChaosSystem
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

GAP_BETWEEN_CRASHES_S = 3.0
MAIL_DUE_WAIT_S = 10.0

Crash = tuple[str, Callable[[], Awaitable[None]]]


@dataclass
class ChaosLog:
    started: float = field(default_factory=time.monotonic)
    actions: list[tuple[float, datetime, str]] = field(default_factory=list)

    def note(self, what: str) -> None:
        elapsed = time.monotonic() - self.started
        self.actions.append((elapsed, datetime.now(UTC), what))
        print(f"[chaos] {elapsed:6.1f}s  {what}", flush=True)


def crash_schedule(
    system: ChaosSystem, kafka: KafkaForTests, postgres: PostgresForTests, log: ChaosLog
) -> list[Crash]:
    async def crash(*names: str) -> None:
        for name in names:
            system.services[name].kill()
        await asyncio.sleep(1.0)
        for name in names:
            system.services[name].start()
        for name in names:
            await asyncio.to_thread(system.services[name].wait_until_ready)

    async def crash_notifications_while_it_sends() -> None:
        """Killed while a mail is due, it may die between the SMTP server's "250 accepted" and its
        commit: the documented mail window, which this run then shows."""
        pending = await wait_for_due_mail(system, timeout_s=MAIL_DUE_WAIT_S)
        log.note(f"(notifications has {pending} mails to send)")
        await crash("notifications")

    async def crash_kafka() -> None:
        await asyncio.to_thread(kafka.kill_and_restart)
        system.count_crash("Kafka broker kill -9")

    async def crash_postgres() -> None:
        await asyncio.to_thread(postgres.restart_immediately)
        system.count_crash("PostgreSQL immediate restart")

    return [
        ("kill -9 placement", lambda: crash("placement")),
        ("kill -9 Kafka broker", crash_kafka),
        # While the backlog the broker's absence left behind is worked off.
        ("PostgreSQL immediate restart", crash_postgres),
        ("kill -9 notifications while it sends mails", crash_notifications_while_it_sends),
        ("kill -9 outcomes", lambda: crash("outcomes")),
        ("kill -9 intake", lambda: crash("intake")),
        (
            "kill -9 placement, outcomes and notifications at once",
            lambda: crash("placement", "outcomes", "notifications"),
        ),
    ]


async def wait_for_due_mail(system: ChaosSystem, *, timeout_s: float) -> int:
    """Wait (bounded) until notifications has a mail to send; how many it has then."""
    deadline = time.monotonic() + timeout_s
    connection = await asyncpg.connect(system.services["notifications"].database_url, timeout=10)
    try:
        while True:
            pending = int(
                await connection.fetchval("SELECT count(*) FROM deliveries WHERE status = 'pending'")
            )
            if pending or time.monotonic() > deadline:
                return pending
            await asyncio.sleep(0.02)
    finally:
        await connection.close()


async def run_crashes(schedule: list[Crash], log: ChaosLog) -> None:
    for what, action in schedule:
        await asyncio.sleep(GAP_BETWEEN_CRASHES_S)
        log.note(what)
        await action()
        log.note(f"... back after: {what}")
