"""P3: intake's `POST /v1/referrals` and `POST /v1/referrals/{id}/enrol` against a bare FastAPI +
asyncpg app doing the same writes (`bare_intake`), at the same concurrency.

Both run as their own process (`python -m intake` and `python -m tests.bench.bare_intake`), each on
a fresh database migrated by intake's migrations on the same server, with a pool of the same
size; the load comes from this process, so it never shares a server's event loop. Every variant
gets the same number of requests from 16 keep-alive clients after a warm-up; latency is each
request's, throughput the requests over the wall time of the batch.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import statistics
import string
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from intake.bootstrap import MIGRATIONS
from tests.bench import running_services
from tests.bench.bare_intake import prepare_for_enrolment
from tests.bench.model import BenchContext, Measurement, Row
from tests.support.intake_flows import (
    INTAKE_STAFF,
    JOBCENTER_ONLY,
    consent,
    interview,
    referral_body,
    years_ago,
)
from tests.support.kafka_tools import unique_prefix
from werkstattnetz_devstack.ports import find_free_ports
from werkstattnetz_devstack.processes import start_logged_process, stop_process, wait_for_http_ok
from werkstattnetz_shared.db.migrations import upgrade_to_head
from werkstattnetz_shared.messaging.relay import RELAY_LOCK_KEY

MEASUREMENT = "P3 HTTP intake"
CLIENTS = 16
POOL_SIZE = 10  # intake's `connect_pool` default
# As many enrolments as the referral batch allows (warm-up included): a 1,500-request batch took 3 s
# and its ratio swung by ±0.05 from run to run.
REFERRALS_FULL, ENROLMENTS_FULL, WARM_UP_FULL = 3000, 2900, 100
REFERRALS_QUICK, ENROLMENTS_QUICK, WARM_UP_QUICK = 300, 150, 32
READY_TIMEOUT_S = 90.0
TARGET_RATIO = 0.9
REPOSITORY = Path(__file__).resolve().parents[2]
PROJECT = "project (intake), relay publishing"
PROJECT_STANDBY = "project (intake), relay standby"
COUNTED_TABLES = ("people", "referrals", "consents", "audit_log", "outbox", "idempotency_keys")


@dataclass(frozen=True)
class Variant:
    """One server under load: where it is, the path prefix of its routes, what each request carries."""

    label: str
    base_url: str
    prefix: str
    headers: dict[str, str]
    database_url: str
    pid: int


@dataclass(frozen=True)
class Batch:
    """One timed batch: each request's latency (s), the wall time (s) and the answers' bodies."""

    latencies: list[float]
    wall_s: float
    answers: list[dict[str, Any]]
    server_cpu_s: float | None = None

    def figures(self) -> dict[str, float]:
        percentiles = statistics.quantiles(self.latencies, n=100)
        figures = {
            "p50_ms": round(statistics.median(self.latencies) * 1000, 2),
            "p99_ms": round(percentiles[98] * 1000, 2),
            "req_per_s": round(len(self.latencies) / self.wall_s, 1),
        }
        if self.server_cpu_s is not None:
            figures["server_cpu_ms_per_req"] = round(self.server_cpu_s * 1000 / len(self.latencies), 2)
        return figures


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process, all its threads (Linux; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def distinct_people() -> Iterator[dict[str, Any]]:
    """Referral bodies of people intake takes for different persons (their names differ in letters,
    as intake compares names) who are eligible to be enrolled today."""
    birth_date = years_ago(dt.date.today(), 19, days=40).isoformat()
    number = 0
    while True:
        suffix, rest = "", number
        for _ in range(5):
            rest, letter = divmod(rest, 26)
            suffix += string.ascii_lowercase[letter]
        yield referral_body(last_name=f"Krause-{suffix}", birth_date=birth_date)
        number += 1


async def run_batch(client: httpx.AsyncClient, variant: Variant, requests: list[tuple[str, bytes]]) -> Batch:
    """POST every (path, JSON body) from `CLIENTS` concurrent clients; each answer must be a 201."""
    latencies = [0.0] * len(requests)
    responses: list[httpx.Response | None] = [None] * len(requests)
    headers = variant.headers | {"Content-Type": "application/json"}
    indices = iter(range(len(requests)))

    async def one_client() -> None:
        for index in indices:  # shared: each request is sent by exactly one client
            path, body = requests[index]
            started = time.perf_counter()
            response = await client.post(variant.prefix + path, content=body, headers=headers)
            latencies[index] = time.perf_counter() - started
            responses[index] = response

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    wall_s = time.perf_counter() - started
    answers = []
    for response in responses:
        assert response is not None
        if response.status_code != 201:
            raise RuntimeError(
                f"{variant.label}: {response.request.url.path} answered {response.status_code}: "
                f"{response.text[:500]}"
            )
        answers.append(response.json())
    return Batch(latencies, wall_s, answers)


def referral_requests(people: Iterator[dict[str, Any]], count: int) -> list[tuple[str, bytes]]:
    return [("/v1/referrals", json.dumps(next(people)).encode()) for _ in range(count)]


def enrol_requests(referral_ids: list[str]) -> list[tuple[str, bytes]]:
    body = json.dumps({"funding": JOBCENTER_ONLY}).encode()
    return [(f"/v1/referrals/{referral_id}/enrol", body) for referral_id in referral_ids]


async def table_counts(database_url: str) -> dict[str, int]:
    """Rows per table (and enrolled referrals): what one batch wrote, compared across variants."""
    connection = await asyncpg.connect(database_url)
    try:
        counts = {
            table: int(await connection.fetchval(f"SELECT count(*) FROM {table}")) for table in COUNTED_TABLES
        }
        counts["enrolled referrals"] = int(
            await connection.fetchval("SELECT count(*) FROM referrals WHERE status = 'enrolled'")
        )
        return counts
    finally:
        await connection.close()


def start_intake(database_url: str, bootstrap_servers: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": unique_prefix(),
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "ENVIRONMENT": "test",
    }
    environment.pop("JWT_SECRET", None)  # the bench signs with the development secret
    environment.pop("LOG_LEVEL", None)  # intake's default, INFO: one access-log line per request
    return start_logged_process([sys.executable, "-m", "intake"], log, environment, REPOSITORY)


def start_bare(database_url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    environment = os.environ | {
        "BARE_DATABASE_URL": database_url,
        "BARE_HTTP_PORT": str(port),
        "BARE_POOL_SIZE": str(POOL_SIZE),
    }
    return start_logged_process(
        [sys.executable, "-m", "tests.bench.bare_intake"], log, environment, REPOSITORY
    )


async def measure(ctx: BenchContext) -> Measurement:
    referrals = REFERRALS_QUICK if ctx.quick else REFERRALS_FULL
    enrolments = ENROLMENTS_QUICK if ctx.quick else ENROLMENTS_FULL
    warm_up = WARM_UP_QUICK if ctx.quick else WARM_UP_FULL
    intake_database = ctx.postgres.create_database("bench_p3_intake")
    standby_database = ctx.postgres.create_database("bench_p3_intake_standby")
    bare_database = ctx.postgres.create_database("bench_p3_bare")
    for database in (standby_database, bare_database):  # intake migrates its own
        await asyncio.to_thread(upgrade_to_head, database, MIGRATIONS)
    # The relay of the second intake stays a standby: the bench holds the lock it waits for.
    relay_lock = await asyncpg.connect(standby_database)
    await relay_lock.execute("SELECT pg_advisory_lock($1)", RELAY_LOCK_KEY)
    intake_port, standby_port, bare_port = find_free_ports(3)  # at once: never one port twice
    with tempfile.TemporaryDirectory(prefix="bench-p3-") as folder:
        logs = {name: Path(folder) / f"{name}.log" for name in ("intake", "standby", "bare")}
        ctx.progress("P3: starting intake (twice: relay publishing, relay standby) and the bare floor app …")
        processes = {
            "intake": start_intake(intake_database, ctx.kafka.bootstrap_servers, intake_port, logs["intake"]),
            "standby": start_intake(
                standby_database, ctx.kafka.bootstrap_servers, standby_port, logs["standby"]
            ),
            "bare": start_bare(bare_database, bare_port, logs["bare"]),
        }
        try:
            urls = {
                "intake": f"http://127.0.0.1:{intake_port}",
                "standby": f"http://127.0.0.1:{standby_port}",
                "bare": f"http://127.0.0.1:{bare_port}",
            }
            await asyncio.gather(
                *(
                    asyncio.to_thread(
                        wait_for_http_ok, f"{urls[name]}/health/ready", READY_TIMEOUT_S, process, logs[name]
                    )
                    for name, process in processes.items()
                )
            )
            pids = {name: process.pid for name, process in processes.items()}
            variants = [
                Variant(PROJECT, urls["intake"], "", INTAKE_STAFF, intake_database, pids["intake"]),
                Variant(
                    PROJECT_STANDBY, urls["standby"], "", INTAKE_STAFF, standby_database, pids["standby"]
                ),
                Variant("bare floor (FastAPI+asyncpg)", urls["bare"], "", {}, bare_database, pids["bare"]),
                Variant(
                    "bare floor + JWT verify", urls["bare"], "/jwt", INTAKE_STAFF, bare_database, pids["bare"]
                ),
            ]
            return await _measure_variants(ctx, variants, referrals, enrolments, warm_up)
        finally:
            for process in processes.values():
                stop_process(process, timeout=15)
            await relay_lock.close()


async def _measure_variants(
    ctx: BenchContext, variants: list[Variant], referrals: int, enrolments: int, warm_up: int
) -> Measurement:
    people = distinct_people()
    project, standby, bare, bare_jwt = variants
    referral_batches: dict[str, Batch] = {}
    enrol_batches: dict[str, Batch] = {}
    written: dict[tuple[str, str], dict[str, float]] = {}
    pending_after: dict[str, float] = {}
    to_enrol: dict[str, list[tuple[str, str]]] = {}  # (referral id, participant id)
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)

    async def timed(
        variant: Variant, client: httpx.AsyncClient, kind: str, requests: list[tuple[str, bytes]]
    ) -> Batch:
        before = await table_counts(variant.database_url)
        cpu_before = cpu_seconds(variant.pid)
        batch = await run_batch(client, variant, requests)
        cpu_after = cpu_seconds(variant.pid)
        if cpu_before is not None and cpu_after is not None:
            batch = dataclasses.replace(batch, server_cpu_s=cpu_after - cpu_before)
        after = await table_counts(variant.database_url)
        written[(variant.label, kind)] = {
            table: (after[table] - before[table]) / len(requests)
            for table in after
            if after[table] != before[table]
        }
        if variant is project:
            pending_after[kind] = await running_services.outbox_published(variant.database_url)
        return batch

    for variant in variants:
        async with httpx.AsyncClient(base_url=variant.base_url, limits=limits, timeout=30) as client:
            ctx.progress(f"P3: {variant.label}: {warm_up} + {referrals} referrals from {CLIENTS} clients")
            await run_batch(client, variant, referral_requests(people, warm_up))
            if variant is project:
                await running_services.outbox_published(variant.database_url)
            batch = await timed(variant, client, "referrals", referral_requests(people, referrals))
            referral_batches[variant.label] = batch
            to_enrol[variant.label] = [
                (answer["referral_id"], answer["participant_id"])
                for answer in batch.answers[: warm_up + enrolments]
            ]

    ctx.progress(f"P3: interviewing and asking consent for {warm_up + enrolments} referrals per variant")
    async with httpx.AsyncClient(base_url=project.base_url, limits=limits, timeout=30) as client:
        await _interview_and_consent(client, to_enrol[project.label])
    await running_services.outbox_published(project.database_url)
    for variant in variants[1:]:  # the others' outboxes are never published: straight to the tables
        await prepare_for_enrolment(variant.database_url, [uuid.UUID(r) for r, _ in to_enrol[variant.label]])

    for variant in variants:
        async with httpx.AsyncClient(base_url=variant.base_url, limits=limits, timeout=30) as client:
            ctx.progress(f"P3: {variant.label}: {warm_up} + {enrolments} enrolments from {CLIENTS} clients")
            ids = [referral_id for referral_id, _ in to_enrol[variant.label]]
            await run_batch(client, variant, enrol_requests(ids[:warm_up]))
            if variant is project:
                await running_services.outbox_published(variant.database_url)
            enrol_batches[variant.label] = await timed(
                variant, client, "enrol", enrol_requests(ids[warm_up:])
            )

    rows = []
    for kind, batches in (("referrals", referral_batches), ("enrol", enrol_batches)):
        for variant in variants:
            rows.append(Row(f"{MEASUREMENT}: {kind}", variant.label, batches[variant.label].figures()))

    def ratio(batches: dict[str, Batch], of: Variant, by: Variant = standby) -> float:
        return round(batches[by.label].figures()["req_per_s"] / batches[of.label].figures()["req_per_s"], 2)

    ratios = {
        "referrals intake/bare": ratio(referral_batches, bare),
        "enrol intake/bare": ratio(enrol_batches, bare),
        "referrals intake/bare+JWT": ratio(referral_batches, bare_jwt),
        "enrol intake/bare+JWT": ratio(enrol_batches, bare_jwt),
        "referrals intake publishing/bare": ratio(referral_batches, bare, by=project),
        "enrol intake publishing/bare": ratio(enrol_batches, bare, by=project),
    }
    notes = [
        f"{referrals} referrals and {enrolments} enrolments per variant (after {warm_up} of each as "
        f"warm-up), {CLIENTS} concurrent keep-alive httpx clients in the bench process; each server "
        f"is its own uvicorn process with an asyncpg pool of {POOL_SIZE}; ratios are throughput.",
        "Rows written per request (must match): "
        + "; ".join(
            f"{kind}: intake {_rows(written[project.label, kind])} | bare {_rows(written[bare.label, kind])}"
            for kind in ("referrals", "enrol")
        ),
        "The floor has no auth, no edge middleware, no metrics, no unit of work or domain objects, "
        "plain pydantic models, no access log (intake logs one JSON line per request at INFO) and no "
        "relay: its outbox rows are written, never published. Like for like, the ratios (intake/bare) "
        f"compare the floor with `{PROJECT_STANDBY}`: an intake whose relay waits as a standby (the "
        "bench holds the relay lock of its database), so its rows too are only written during the "
        f"batch. `{PROJECT}` publishes each row to Kafka from the same process while the batch runs, "
        "on the same two cores (its ratio is `intake publishing/bare`; it needed "
        f"{pending_after['referrals']:.2f} s / {pending_after['enrol']:.2f} s after the referral / "
        "enrol batch to catch up); what publishing costs on its own is P4. `bare + JWT verify` adds "
        "intake's token check (PyJWT HS256) to the floor.",
        "server_cpu_ms_per_req is the server process's CPU (all threads) over the batch, per request; "
        "the rest of a request's time is waiting: PostgreSQL round trips on a pool of "
        f"{POOL_SIZE} for {CLIENTS} clients, and the client and PostgreSQL sharing the same cores.",
        "Sent without Idempotency-Key (a key adds one lookup and one insert per request in intake).",
    ]
    met = all(ratios[key] >= TARGET_RATIO for key in ("referrals intake/bare", "enrol intake/bare"))
    return Measurement(
        key="P3",
        title="POST /v1/referrals and …/enrol: intake vs a bare FastAPI + asyncpg endpoint",
        rows=rows,
        ratios=ratios,
        target=f"≥ {TARGET_RATIO} of the bare floor's throughput for both endpoints",
        met=met,
        notes=notes,
    )


def _rows(per_request: dict[str, float]) -> str:
    return ", ".join(f"{table} {count:g}" for table, count in sorted(per_request.items())) or "none"


async def _interview_and_consent(client: httpx.AsyncClient, referrals: list[tuple[str, str]]) -> None:
    """Through intake's API, outside the timing: what enrolment needs before it."""
    pairs = iter(referrals)

    async def one_client() -> None:
        for referral_id, participant_id in pairs:
            await interview(client, referral_id, headers=INTAKE_STAFF)
            await consent(client, participant_id, headers=INTAKE_STAFF)

    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
