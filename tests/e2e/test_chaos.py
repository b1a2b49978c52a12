"""Chaos: the whole system keeps its promises while its parts are killed under load.

All four services run as real processes against the session's Kafka broker and PostgreSQL. While
clients stream referrals, enrolments and exits through the HTTP APIs, the test kills -9 placement,
notifications, outcomes and intake (each restarted with the same environment, so the same static
group instance id), kills -9 the Kafka broker and starts it again, and restarts PostgreSQL in
immediate mode (a simulated crash); at the end it kills placement, outcomes and notifications at
once. Once the system has settled, the databases, the topics and the SMTP sink must show:

- every acknowledged enrolment placed or waitlisted exactly once (one decision per enrolment);
- no workshop over capacity (placed people plus open seat offers), no seat neither held nor offered
  in a work area while someone waits for it;
- every acknowledged exit recorded with exactly one ParticipantExited, its seat or spot given up;
- every notified event mailed to the office once (no staff directory here), one NotificationSent
  per sent delivery; one mail per delivery,
  except the documented mail window (a crash between the SMTP server's acceptance and the commit);
- every outbox published (and nothing on a topic that no outbox held), every DLQ empty.

The numbers are printed at the end (run with `-s` to see them).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.e2e.chaos_crashes import ChaosLog, crash_schedule, run_crashes
from tests.e2e.chaos_evidence import gather_evidence
from tests.e2e.chaos_lost_answers import AnswerDropper
from tests.e2e.chaos_progress import Progress, progress
from tests.e2e.chaos_summary import summary_lines
from tests.e2e.chaos_system import ChaosSystem, running_chaos_system
from tests.e2e.chaos_traffic import ChaosClient, Ledger, enrol_continuously, exit_continuously
from tests.e2e.chaos_verdicts import all_verdicts
from werkstattnetz_devstack.kafka import admin_can_list_topics
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

# Limited seats: soon most people wait, and exits hand seats on to the waitlist.
DEFAULT_WORKSHOP_SEATS = "care=15,bike_metal=30,garden_landscape=30,building_services=30"
ENROLLING_CLIENTS = 4
EXITING_CLIENTS = 2
PAUSE_BETWEEN_ENROLMENTS_S = 0.2
TAIL_OF_STREAM_S = 4.0
SETTLE_TIMEOUT_S = 120.0
SEED = 20261125

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(480)]


@pytest.fixture
async def chaos_system(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests, tmp_path: Path
) -> AsyncIterator[ChaosSystem]:
    # Fail before anything starts, rather than in the middle of the stream.
    kafka_broker.check_kill_and_restart_possible()
    postgres_server.check_restart_possible()
    try:
        async with running_chaos_system(
            kafka_broker, postgres_server, tmp_path, default_workshop_seats=DEFAULT_WORKSHOP_SEATS
        ) as system:
            yield system
    finally:
        await leave_infrastructure_healthy(kafka_broker, postgres_server)


async def leave_infrastructure_healthy(kafka: KafkaForTests, postgres: PostgresForTests) -> None:
    """The broker and the database are shared by the whole session: a failed crash must not take
    them away from the tests that follow."""
    if not await admin_can_list_topics(kafka.bootstrap_servers) and kafka.bring_back is not None:
        await asyncio.to_thread(kafka.bring_back)
    try:
        connection = await asyncpg.connect(postgres.admin_dsn, timeout=10)
        await connection.close()
    except (OSError, asyncpg.PostgresError):
        await asyncio.to_thread(postgres.restart_immediately)


async def stream_while_crashing(
    system: ChaosSystem, crashes: Coroutine[Any, Any, None], ledger: Ledger, log: ChaosLog
) -> None:
    """Clients stream until the crashes are done (plus a short tail); a client that gives up, or
    a crash that fails, ends the stream at once with its error."""
    stop = asyncio.Event()
    exits: asyncio.Queue[uuid.UUID] = asyncio.Queue()
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=10)
    droppers = {name: AnswerDropper(system.services[name].port) for name in ("intake", "outcomes")}
    async with contextlib.AsyncExitStack() as cleanup:
        for dropper in droppers.values():
            await dropper.start()
            cleanup.push_async_callback(dropper.stop)
        http = await cleanup.enter_async_context(httpx.AsyncClient(timeout=10.0, limits=limits))
        lost_answers = {system.url(name): dropper.url for name, dropper in droppers.items()}
        clients = [
            ChaosClient(system, http, ledger, SEED + number, lost_answers)
            for number in range(ENROLLING_CLIENTS)
        ]
        workers = [
            *(
                asyncio.create_task(enrol_continuously(c, stop, exits, PAUSE_BETWEEN_ENROLMENTS_S))
                for c in clients
            ),
            *(
                asyncio.create_task(exit_continuously(clients[n], stop, exits))
                for n in range(EXITING_CLIENTS)
            ),
        ]
        crashing = asyncio.create_task(crashes)
        try:
            await asyncio.wait([crashing, *workers], return_when=asyncio.FIRST_COMPLETED)
            for task in (crashing, *workers):
                if task.done():
                    task.result()  # raises what ended it early
            await asyncio.sleep(TAIL_OF_STREAM_S)
            log.note("stream stops")
            stop.set()
            await asyncio.gather(*workers)
        finally:
            stop.set()
            for task in (crashing, *workers):
                task.cancel()
            await asyncio.gather(crashing, *workers, return_exceptions=True)
            ledger.answers_lost = sum(dropper.dropped for dropper in droppers.values())


async def wait_until_settled(system: ChaosSystem, log: ChaosLog) -> tuple[Progress, float]:
    started = time.monotonic()
    last_report = 0.0
    while True:
        current = await progress(system)
        waited = time.monotonic() - started
        if current.settled or waited > SETTLE_TIMEOUT_S:
            log.note(f"{'settled' if current.settled else 'NOT settled'} after {waited:.1f}s: {current}")
            return current, waited
        if waited - last_report >= 5.0:
            log.note(f"settling ({waited:.0f}s): {current}")
            last_report = waited
        await asyncio.sleep(1.0)


async def test_promises_hold_while_services_broker_and_database_crash(
    chaos_system: ChaosSystem, kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> None:
    system, ledger, log = chaos_system, Ledger(), ChaosLog()
    schedule = crash_schedule(system, kafka_broker, postgres_server, log)
    log.note(f"stream starts; topic prefix {system.topic_prefix}, logs in {system.folder}")
    await stream_while_crashing(system, run_crashes(schedule, log), ledger, log)
    stream_s = time.monotonic() - log.started

    settled, settle_s = await wait_until_settled(system, log)
    evidence = await gather_evidence(system)
    kills = {name: service.kills for name, service in system.services.items()}
    # A resent mail needs a kill of notifications between the SMTP server's acceptance and the
    # commit; a database crash in that moment does not resend (see send_next_due_delivery).
    window = kills["notifications"]
    problems = all_verdicts(ledger, evidence, mail_duplicates_allowed=window)
    if not settled.settled:
        problems.insert(0, f"the system did not settle within {SETTLE_TIMEOUT_S:.0f}s: {settled}")

    print("\n[chaos] ---- summary ----")
    for line in summary_lines(
        ledger, evidence, log.actions, kills, system.infrastructure_crashes, stream_s, settle_s
    ):
        print(f"[chaos] {line}", flush=True)
    assert not problems, "\n".join(["broken promises:", *problems, "", system.log_excerpts()])
