"""P4: the outbox relay publishing committed rows, side by side with a bare idempotent producer.

Throughput: a backlog of outbox rows (written through `Outbox.add`, 100 per transaction) is
drained by a freshly started `OutboxRelay`; the floor sends the same records (same keys, values and
headers) with the same producer configuration, `send` + gather in batches. Latency: at a steady
offered rate, single-event transactions commit while the relay runs (commit → the relay marks the
row published); the floor does `send_and_wait` per record at the same rate (send → ack).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, cast

import asyncpg

from tests.bench.model import BenchContext, Measurement, Row
from tests.support.kafka_tools import unique_prefix
from werkstattnetz_shared.db.pool import close_pool, connect_pool
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.events.cloudevents import cloudevent_headers
from werkstattnetz_shared.events.contracts import ParticipantEnrolled
from werkstattnetz_shared.events.vocabulary import AgeBand, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.messaging.ddl import MESSAGING_TABLES_V1
from werkstattnetz_shared.messaging.outbox import Outbox
from werkstattnetz_shared.messaging.producer import idempotent_producer
from werkstattnetz_shared.messaging.relay import OutboxRelay
from werkstattnetz_shared.messaging.topics import TopicSettings, ensure_topics

TITLE = "P4 outbox relay"
TARGET = "≥ 2,000 events/s per relay, commit → ack p99 ≤ 50 ms"
TRANSACTION_SIZE = 100  # backlog rows per transaction
WRITERS = 4  # connections writing the backlog, and committing in the latency phase
FLOOR_BATCH = 200  # the relay's default batch size
PARTICIPANTS = 1_000  # distinct keys, spread over the partitions
POLL_S = 0.01
DRAIN_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Sizes:
    backlog: int
    rate_per_s: int
    latency_s: float

    @property
    def latency_events(self) -> int:
        return int(self.rate_per_s * self.latency_s)


FULL = Sizes(backlog=20_000, rate_per_s=500, latency_s=8.0)
QUICK = Sizes(backlog=2_000, rate_per_s=200, latency_s=3.0)


async def measure(ctx: BenchContext) -> Measurement:
    sizes = QUICK if ctx.quick else FULL
    prefix = unique_prefix()
    relay_topic, floor_topic = f"{prefix}p4.relay", f"{prefix}p4.floor"
    topic_settings = TopicSettings()
    await ensure_topics(ctx.kafka.bootstrap_servers, [relay_topic, floor_topic], topic_settings)
    dsn = await asyncio.to_thread(ctx.postgres.create_database, "bench_p4")
    setup = await asyncpg.connect(dsn)
    try:
        await setup.execute(MESSAGING_TABLES_V1)
    finally:
        await setup.close()
    backlog = [enrolment(number) for number in range(sizes.backlog)]
    steady = [enrolment(number) for number in range(sizes.latency_events)]

    relay_rate, relay_latencies, relay_notes = await measure_relay(
        ctx, dsn, relay_topic, backlog, steady, sizes
    )
    floor_rate, floor_latencies = await measure_floor(ctx, floor_topic, backlog, steady, sizes)

    relay_p = percentiles(relay_latencies)
    floor_p = percentiles(floor_latencies)
    rate = f"{sizes.rate_per_s}/s for {sizes.latency_s:.0f} s"
    rows = [
        Row(TITLE, f"project relay, backlog of {sizes.backlog:,}", {"events_per_s": relay_rate}),
        Row(TITLE, f"bare floor (aiokafka send+gather), {sizes.backlog:,}", {"events_per_s": floor_rate}),
        Row(TITLE, f"project relay, commit → ack at {rate}", relay_p),
        Row(TITLE, f"bare floor (send_and_wait), send → ack at {rate}", floor_p),
    ]
    ratios = {
        "events/s relay/floor": relay_rate / floor_rate,
        "p99 relay/floor": relay_p["p99_ms"] / floor_p["p99_ms"],
    }
    notes = [
        f"{sizes.backlog:,} ParticipantEnrolled events over {PARTICIPANTS:,} keys, "
        f"{topic_settings.partitions} partitions; both sides use `idempotent_producer` "
        "(acks=all, linger 5 ms).",
        *relay_notes,
        "relay events/s: from starting the relay (takeover grace 0, producer start included) until no "
        "row is unpublished (table polled every 10 ms); floor: producer already started, "
        f"send + gather in batches of {FLOOR_BATCH}.",
        "ack time of a relay row = its published_at, which the relay sets to the database's now() in the "
        "UPDATE it runs after the broker acknowledged the whole batch (so slightly after the ack); commit "
        "time = client wall clock after COMMIT returned; same machine, same clock.",
        "the bench PostgreSQL runs with fsync off (and the test cluster's synchronous_commit off): "
        "commits are cheaper than in production.",
    ]
    met = relay_rate >= 2_000 and relay_p["p99_ms"] <= 50
    return Measurement("P4", TITLE, rows, ratios, TARGET, met, notes)


async def measure_relay(
    ctx: BenchContext,
    dsn: str,
    topic: str,
    backlog: list[EventEnvelope],
    steady: list[EventEnvelope],
    sizes: Sizes,
) -> tuple[float, list[float], list[str]]:
    """Backlog events/s, commit → ack latencies (ms), and notes on what was offered."""
    writers = await asyncpg.create_pool(dsn, min_size=WRITERS, max_size=WRITERS)
    relay_pool = await connect_pool(dsn)
    relay_task: asyncio.Task[None] | None = None
    try:
        ctx.progress(f"P4: writing a backlog of {len(backlog):,} outbox rows")
        written_in = await write_backlog(writers, topic, backlog)
        relay = OutboxRelay(
            relay_pool,
            lambda: idempotent_producer(ctx.kafka.bootstrap_servers, "bench-p4-relay"),
            takeover_grace_s=0.0,
        )
        ctx.progress(f"P4: relay draining {len(backlog):,} events")
        started = time.perf_counter()
        relay_task = asyncio.create_task(relay.run())
        await wait_until_published(ctx, writers, relay_task, len(backlog), "relay backlog")
        rate = len(backlog) / (time.perf_counter() - started)
        ctx.progress(f"P4: relay {rate:,.0f} events/s; commit → ack at {sizes.rate_per_s}/s")

        committed: dict[uuid.UUID, float] = {}

        async def commit_one(envelope: EventEnvelope) -> None:
            async with writers.acquire() as connection:
                async with connection.transaction():
                    await Outbox(cast(asyncpg.Connection, connection), topic).add(envelope)
                committed[envelope.event_id] = time.time()

        offered_in = await offer_steadily(steady, sizes.rate_per_s, commit_one)
        await wait_until_published(ctx, writers, relay_task, len(steady), "relay commit → ack")
        acked = await writers.fetch(
            "SELECT event_id, published_at FROM outbox WHERE event_id = ANY($1::uuid[])",
            list(committed),
        )
        latencies = [(row["published_at"].timestamp() - committed[row["event_id"]]) * 1000 for row in acked]
    finally:
        if relay_task is not None:
            relay_task.cancel()
            await asyncio.gather(relay_task, return_exceptions=True)
        await close_pool(relay_pool)
        await close_pool(writers)
    notes = [
        f"backlog written through Outbox.add by {WRITERS} connections, {TRANSACTION_SIZE} per transaction, "
        f"in {written_in:.1f} s ({len(backlog) / written_in:,.0f} rows/s; not part of the figure).",
        f"commit → ack: {len(steady):,} single-event transactions offered open-loop at "
        f"{sizes.rate_per_s}/s on {WRITERS} connections, achieved {len(steady) / offered_in:,.0f}/s.",
    ]
    return rate, latencies, notes


async def write_backlog(writers: asyncpg.Pool, topic: str, backlog: list[EventEnvelope]) -> float:
    started = time.perf_counter()
    chunks = [backlog[start : start + TRANSACTION_SIZE] for start in range(0, len(backlog), TRANSACTION_SIZE)]

    async def write(share: list[list[EventEnvelope]]) -> None:
        async with writers.acquire() as connection:
            outbox = Outbox(cast(asyncpg.Connection, connection), topic)
            for chunk in share:
                async with connection.transaction():
                    for envelope in chunk:
                        await outbox.add(envelope)

    await asyncio.gather(*(write(chunks[number::WRITERS]) for number in range(WRITERS)))
    return time.perf_counter() - started


async def wait_until_published(
    ctx: BenchContext, connections: asyncpg.Pool, relay_task: asyncio.Task[None], expected: int, what: str
) -> None:
    """Poll the outbox until no row is unpublished; fail if the relay stops or takes too long."""
    deadline = time.perf_counter() + DRAIN_TIMEOUT_S
    next_report = time.perf_counter() + 1.0
    while await connections.fetchval("SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL)"):
        if relay_task.done():
            relay_task.result()  # raises what stopped it
            raise RuntimeError("the outbox relay stopped")
        now = time.perf_counter()
        if now > deadline:
            raise TimeoutError(f"P4 {what}: rows still unpublished after {DRAIN_TIMEOUT_S:.0f} s")
        if now > next_report:
            left = await connections.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            ctx.progress(f"P4: {what} {expected - left:,}/{expected:,} events")
            next_report = now + 1.0
        await asyncio.sleep(POLL_S)


async def measure_floor(
    ctx: BenchContext, topic: str, backlog: list[EventEnvelope], steady: list[EventEnvelope], sizes: Sizes
) -> tuple[float, list[float]]:
    """Bare producer: events/s for the backlog's records, and send → ack latencies (ms)."""
    records = [record(envelope) for envelope in backlog]
    producer = idempotent_producer(ctx.kafka.bootstrap_servers, "bench-p4-floor")
    await producer.start()
    try:
        ctx.progress(f"P4: bare floor sending {len(records):,} events")
        started = time.perf_counter()
        for start in range(0, len(records), FLOOR_BATCH):
            deliveries = [
                await producer.send(topic, value=value, key=key, headers=headers)
                for key, value, headers in records[start : start + FLOOR_BATCH]
            ]
            await asyncio.gather(*deliveries)
        rate = len(records) / (time.perf_counter() - started)
        ctx.progress(f"P4: bare floor {rate:,.0f} events/s; send → ack at {sizes.rate_per_s}/s")
        latencies: list[float] = []

        async def send_one(envelope: EventEnvelope) -> None:
            key, value, headers = record(envelope)
            sent = time.perf_counter()
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
            latencies.append((time.perf_counter() - sent) * 1000)

        await offer_steadily(steady, sizes.rate_per_s, send_one)
    finally:
        await producer.stop()
    return rate, latencies


async def offer_steadily(
    envelopes: list[EventEnvelope], rate_per_s: int, act: Callable[[EventEnvelope], Coroutine[Any, Any, None]]
) -> float:
    """Start `act` for each envelope on a fixed schedule (open loop), wait for all; seconds taken."""
    started = time.perf_counter()
    tasks: list[asyncio.Task[None]] = []
    for number, envelope in enumerate(envelopes):
        delay = started + number / rate_per_s - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(act(envelope)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - started


def record(envelope: EventEnvelope) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Key, value and headers exactly as the relay sends them for this envelope."""
    return envelope.kafka_key, envelope.to_json_bytes(), cloudevent_headers(envelope)


def enrolment(number: int) -> EventEnvelope:
    data = ParticipantEnrolled(
        age_band=AgeBand.AGE_18_20,
        referral_source=ReferralSource.JOBCENTER,
        funder=Funder.JOBCENTER,
        preferred_work_areas=[WorkArea.BIKE_METAL, WorkArea.CARE],
        enrolled_on=dt.date(2025, 1, 6),
    )
    participant = uuid.UUID(int=number % PARTICIPANTS + 1)
    return EventEnvelope.wrap(data, producer="intake", participant_id=participant)


def percentiles(latencies_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(latencies_ms, n=100)
    return {"p50_ms": statistics.median(latencies_ms), "p95_ms": cuts[94], "p99_ms": cuts[98]}
