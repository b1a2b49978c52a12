"""P2: the reliable consumer pipeline against a bare aiokafka + asyncpg loop, on the same events.

Both read the same published `ParticipantEnrolled` events (keyed by random participant ids, with
the relay's CloudEvents headers) from the same broker, each into its own fresh database on the
same server, and write one effect row per event in the transaction that claims its inbox row.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer

from tests.bench.model import BenchContext, Measurement, Row
from tests.support.kafka_tools import publish_many, unique_prefix
from werkstattnetz_devstack.testing import PostgresForTests
from werkstattnetz_shared.db.pool import close_pool, connect_pool
from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.events import EventData, EventEnvelope, ParticipantEnrolled, ParticipantWaitlisted
from werkstattnetz_shared.events.vocabulary import AgeBand, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.messaging.consumer import ConsumerSettings, ReliableConsumer
from werkstattnetz_shared.messaging.ddl import MESSAGING_TABLES_V1
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.idempotent import handle_each_event_once
from werkstattnetz_shared.messaging.producer import idempotent_producer
from werkstattnetz_shared.messaging.topics import TopicSettings, ensure_topics

MEASUREMENT = "P2 consumer pipeline"
PROJECT = "project (ReliableConsumer)"
BARE = "bare floor (aiokafka+asyncpg)"
EVENTS_FULL = 5000
EVENTS_QUICK = 800
DEFAULT_PARTITIONS = 3  # the services' default (TopicSettings)
WIDE_PARTITIONS = 12  # the candidate default (P5)
BARE_COMMIT_EVERY = 100
# Alternating rounds, best of each: a drain of a few seconds is easily disturbed on a busy machine.
ROUNDS = 2
BARE_STATEMENTS_PER_EVENT = 4  # BEGIN, inbox claim, effect INSERT, COMMIT
CONSUMER_NAME = "bench-p2"
DRAIN_TIMEOUT_S = 120.0

EFFECTS_TABLE = """
CREATE TABLE bench_effects (
    event_id       UUID PRIMARY KEY,
    participant_id UUID NOT NULL,
    enrolled_on    DATE NOT NULL
);
"""
INSERT_EFFECT = "INSERT INTO bench_effects (event_id, participant_id, enrolled_on) VALUES ($1, $2, $3)"
CLAIM_INBOX = """
INSERT INTO inbox (consumer, event_id, event_type) VALUES ($1, $2, $3)
ON CONFLICT (consumer, event_id) DO NOTHING
RETURNING true
"""


@dataclass(frozen=True)
class Drain:
    """How one consumer worked through the backlog."""

    events: int
    startup_s: float  # consumer start → first effect committed (group join, first fetch)
    steady_s: float  # first → last effect committed
    statements_per_event: int = 0  # SQL statements sent per event, each one round trip

    @property
    def events_per_s(self) -> float:
        return (self.events - 1) / self.steady_s if self.steady_s > 0 else 0.0

    @property
    def total_s(self) -> float:
        return self.startup_s + self.steady_s

    def figures(self) -> dict[str, float]:
        return {
            "events_per_s": round(self.events_per_s, 1),
            "startup_s": round(self.startup_s, 2),
            "drain_s": round(self.total_s, 2),
            "sql_per_event": self.statements_per_event,
        }


class Progress:
    """Counts committed effects; notes when the first and the last one were done."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.count = 0
        self.first_at: float | None = None
        self.last_at: float | None = None
        self.error: BaseException | None = None
        self.all_done = asyncio.Event()

    def one_done(self) -> None:
        now = time.perf_counter()
        if self.first_at is None:
            self.first_at = now
        self.count += 1
        if self.count == self.expected:
            self.last_at = now
            self.all_done.set()

    def failed(self, error: BaseException) -> None:
        """A broken pipeline is reported at once, not measured (nor waited for until the timeout)."""
        self.error = error
        self.all_done.set()


def enrolment_events(count: int, seed: int = 2) -> list[EventEnvelope]:
    chooser = random.Random(seed)
    return [
        EventEnvelope.wrap(
            ParticipantEnrolled(
                age_band=chooser.choice(list(AgeBand)),
                referral_source=chooser.choice(list(ReferralSource)),
                funder=chooser.choice(list(Funder)),
                preferred_work_areas=chooser.sample(list(WorkArea), 2),
                enrolled_on=dt.date(2026, 3, 2) + dt.timedelta(days=chooser.randrange(300)),
                enrolment_id=uuid.uuid4(),
            ),
            producer="intake",
            participant_id=uuid.uuid4(),
        )
        for _ in range(count)
    ]


async def publish_backlog(bootstrap: str, topic: str, partitions: int, events: list[EventEnvelope]) -> None:
    """Create the topic and publish the events as the relay would (key, value, CloudEvents)."""
    await ensure_topics(bootstrap, [topic], TopicSettings(partitions=partitions))
    await publish_many(bootstrap, topic, events)


async def warm_up_group_coordinator(bootstrap: str, topic: str) -> None:
    """Join a group and commit once, so the broker's first-group setup (the offsets topic, the
    coordinator) is not charged to whichever variant happens to run first."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"{topic}.warm-up",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            while not await consumer.getmany(timeout_ms=200, max_records=1):
                pass
        await consumer.commit()
    finally:
        await consumer.stop()


async def fresh_database(postgres: PostgresForTests, name: str) -> str:
    dsn = await asyncio.to_thread(postgres.create_database, name)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(MESSAGING_TABLES_V1 + EFFECTS_TABLE)
    finally:
        await connection.close()
    return dsn


async def drain(consume: Callable[[Progress], Coroutine[Any, Any, None]], expected: int) -> Drain:
    """Run `consume` until `expected` effects are committed, then cancel it."""
    progress = Progress(expected)
    started = time.perf_counter()
    consuming = asyncio.create_task(consume(progress))
    waiting = asyncio.create_task(progress.all_done.wait())
    try:
        await asyncio.wait({consuming, waiting}, timeout=DRAIN_TIMEOUT_S, return_when=asyncio.FIRST_COMPLETED)
        if consuming.done():
            consuming.result()  # a crash of the consumer surfaces here
        if progress.error is not None:
            raise RuntimeError(f"handling an event failed: {progress.error!r}") from progress.error
        if progress.first_at is None or progress.last_at is None:
            raise RuntimeError(
                f"only {progress.count} of {expected} events handled in {DRAIN_TIMEOUT_S:.0f}s"
            )
        return Drain(expected, progress.first_at - started, progress.last_at - progress.first_at)
    finally:
        for task in (consuming, waiting):
            task.cancel()
        for task in (consuming, waiting):
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def check_one_effect_per_event(dsn: str, expected: int) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        effects = await connection.fetchval("SELECT count(*) FROM bench_effects")
        inbox = await connection.fetchval("SELECT count(*) FROM inbox")
    finally:
        await connection.close()
    if effects != expected or inbox != expected:
        raise RuntimeError(f"expected {expected} effects and inbox rows, found {effects} and {inbox}")


# --- the project: ReliableConsumer + handle_each_event_once over a unit of work -------------------


class BenchUnitOfWork(PostgresUnitOfWork):
    async def record_enrolment(self, envelope: EventEnvelope, data: ParticipantEnrolled) -> None:
        await self.connection.execute(
            INSERT_EFFECT, envelope.event_id, envelope.participant_id, data.enrolled_on
        )


async def place_on_waitlist(envelope: EventEnvelope, data: EventData, uow: BenchUnitOfWork) -> None:
    """What a service does per event: one effect row and one event for others, via the outbox."""
    assert isinstance(data, ParticipantEnrolled)
    await uow.record_enrolment(envelope, data)
    await uow.outbox.add(
        EventEnvelope.wrap(
            ParticipantWaitlisted(work_area=data.preferred_work_areas[0], position=1),
            producer="bench",
            participant_id=envelope.participant_id,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.event_id,
        )
    )


def counted(handler: EventHandler, progress: Progress) -> EventHandler:
    """The handler, reporting each event once its transaction committed."""

    async def handle(envelope: EventEnvelope) -> None:
        try:
            await handler.handle(envelope)
        except Exception as error:
            progress.failed(error)
            raise
        progress.one_done()

    return EventHandler(handler.handles, handle)


def project_handler(pool: asyncpg.Pool, topic: str) -> EventHandler:
    return handle_each_event_once(
        lambda: BenchUnitOfWork(pool, outbox_topic=f"{topic}.derived", consumer_name=CONSUMER_NAME),
        place_on_waitlist,
        (ParticipantEnrolled,),
    )


async def drain_with_project(bootstrap: str, topic: str, dsn: str, expected: int) -> Drain:
    pool = await connect_pool(dsn)
    try:

        async def consume(progress: Progress) -> None:
            settings = ConsumerSettings(
                bootstrap_servers=bootstrap,
                group_id=f"{topic}.project-{uuid.uuid4().hex[:8]}",
                topics=(topic,),
            )
            consumer = ReliableConsumer(
                settings,
                counted(project_handler(pool, topic), progress),
                lambda: idempotent_producer(bootstrap, "bench-p2-dlq"),
            )
            await consumer.run()

        drained = await drain(consume, expected)
    finally:
        await close_pool(pool)
    await check_one_effect_per_event(dsn, expected)
    return dataclasses.replace(drained, statements_per_event=await project_statements_per_event(dsn, topic))


async def project_statements_per_event(dsn: str, topic: str) -> int:
    """Handle one more event (untimed, after the check) through a one-connection pool built as
    the services build theirs, and count what reaches PostgreSQL, the pool's reset included."""
    pool = await connect_pool(dsn, max_size=1)
    statements: list[str] = []
    try:
        async with pool.acquire() as connection:
            connection.add_query_logger(lambda record: statements.append(record.query))
        statements.clear()  # the reset of this acquire's release
        await project_handler(pool, topic).handle(enrolment_events(1, seed=3)[0])
    finally:
        await close_pool(pool)
    return len(statements)


# --- the bare floor: aiokafka → json.loads → one asyncpg connection ------------------------------


async def drain_with_bare_loop(bootstrap: str, topic: str, dsn: str, expected: int) -> Drain:
    connection = await asyncpg.connect(dsn)
    try:

        async def consume(progress: Progress) -> None:
            consumer = AIOKafkaConsumer(
                topic,
                bootstrap_servers=bootstrap,
                group_id=f"{topic}.bare-{uuid.uuid4().hex[:8]}",
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                isolation_level="read_committed",
                fetch_max_wait_ms=100,
            )
            await consumer.start()
            since_commit = 0
            try:
                while True:
                    batches = await consumer.getmany(timeout_ms=200, max_records=500)
                    for records in batches.values():
                        for record in records:
                            event = json.loads(record.value or b"")
                            async with connection.transaction():
                                if await connection.fetchval(
                                    CLAIM_INBOX, CONSUMER_NAME, event["event_id"], event["event_type"]
                                ):
                                    await connection.execute(
                                        INSERT_EFFECT,
                                        event["event_id"],
                                        event["participant_id"],
                                        dt.date.fromisoformat(event["data"]["enrolled_on"]),
                                    )
                            progress.one_done()
                            since_commit += 1
                            if since_commit >= BARE_COMMIT_EVERY:
                                await consumer.commit()
                                since_commit = 0
            finally:
                with contextlib.suppress(Exception):
                    await consumer.commit()
                await consumer.stop()

        drained = await drain(consume, expected)
    finally:
        await connection.close()
    await check_one_effect_per_event(dsn, expected)
    return dataclasses.replace(drained, statements_per_event=BARE_STATEMENTS_PER_EVENT)


# --- the measurement -----------------------------------------------------------------------------


async def measure(ctx: BenchContext) -> Measurement:
    count = EVENTS_QUICK if ctx.quick else EVENTS_FULL
    bootstrap = ctx.kafka.bootstrap_servers
    prefix = unique_prefix()
    narrow, wide = f"{prefix}p2.enrolments", f"{prefix}p2.enrolments-wide"
    events = enrolment_events(count)
    ctx.progress(
        f"P2: publishing {count} events to {DEFAULT_PARTITIONS}- and {WIDE_PARTITIONS}-partition topics"
    )
    await publish_backlog(bootstrap, narrow, DEFAULT_PARTITIONS, events)
    await publish_backlog(bootstrap, wide, WIDE_PARTITIONS, events)
    await warm_up_group_coordinator(bootstrap, narrow)

    variants: dict[str, Callable[[str], Awaitable[Drain]]] = {
        "bare": lambda dsn: drain_with_bare_loop(bootstrap, narrow, dsn, count),
        "project": lambda dsn: drain_with_project(bootstrap, narrow, dsn, count),
        "project_wide": lambda dsn: drain_with_project(bootstrap, wide, dsn, count),
    }
    drains: dict[str, list[Drain]] = {name: [] for name in variants}
    for round_number in range(1, ROUNDS + 1):
        for name, run in variants.items():
            dsn = await fresh_database(ctx.postgres, f"bench_p2_{name}")
            drained = await run(dsn)
            drains[name].append(drained)
            ctx.progress(
                f"P2: round {round_number}, {name}: {drained.events_per_s:.0f} events/s "
                f"(startup {drained.startup_s:.2f} s)"
            )
    bare, project, project_wide = (
        max(drains[name], key=lambda drained: drained.events_per_s) for name in variants
    )

    ratio = project.events_per_s / bare.events_per_s if bare.events_per_s else 0.0
    return Measurement(
        key="P2",
        title="Reliable consumer pipeline vs bare aiokafka + asyncpg loop",
        rows=[
            Row(MEASUREMENT, f"{PROJECT}, {DEFAULT_PARTITIONS} partitions", project.figures()),
            Row(MEASUREMENT, f"{PROJECT}, {WIDE_PARTITIONS} partitions", project_wide.figures()),
            Row(MEASUREMENT, f"{BARE}, {DEFAULT_PARTITIONS} partitions", bare.figures()),
        ],
        ratios={"project/floor": round(ratio, 2)},
        target="≥ 0.8 of the bare floor",
        met=ratio >= 0.8,
        notes=[
            f"{count} ParticipantEnrolled events (random participant ids, CloudEvents headers), "
            "published before timing; each variant reads them from the start with a fresh group "
            "into a fresh database.",
            "events_per_s counts from the first to the last effect committed (steady state); "
            "startup_s (group join, first fetch) is shown apart; drain_s = startup + steady. "
            f"Best of {ROUNDS} alternating rounds per variant; the ratio is on events_per_s.",
            "Project per event: pydantic parse of envelope and data, a unit of work from the pool "
            "(BEGIN, inbox claim, effect INSERT, outbox row, COMMIT, the pool's reset on release) "
            "through the ReliableConsumer's polling loop. Bare floor per event: json.loads, BEGIN, "
            "inbox INSERT … ON CONFLICT DO NOTHING, effect INSERT, COMMIT on one connection; "
            f"offsets committed every {BARE_COMMIT_EVERY} messages.",
            "sql_per_event: statements reaching PostgreSQL per event, each one round trip (the "
            "project's counted on one extra, untimed event after the drain).",
            "Checked after each drain: exactly one effect and one inbox row per event. The test "
            "PostgreSQL runs with fsync and synchronous_commit off: commits cost no disk flush here.",
        ],
    )
