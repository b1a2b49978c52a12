"""P5: one vs two replicas of each consuming service draining the same backlog.

Per service (tests/bench/p5_consumers.py: placement, outcomes, notifications, intake) each run gets
a fresh database, topic prefix and consumer group. The replicas start together and are waited for
until the group is stable with all of them in it; then the backlog is published at once and the
clock runs until the effect of every event is there (a decision, a stay, a mail at the SMTP sink,
an ended enrolment). Publishing after the group formed keeps the join and first rebalance out of
the figure, which at these sizes would otherwise dominate it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import GroupCoordinatorNotAvailableError

from tests.bench import p5_consumers, running_services
from tests.bench.model import BenchContext, Measurement, Row
from tests.bench.p5_consumers import Consumer
from tests.support.kafka_tools import publish_many, unique_prefix
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.messaging.topics import TopicSettings, ensure_topics

NAME = "P5 replicas"
TITLE = "one vs two replicas of each consuming service draining the same backlog"
GROUP_TIMEOUT_S = 60.0
ROUNDS = 2
SETTLE_S = 0.5


@dataclass(frozen=True)
class Drain:
    partitions: int
    replicas: int
    seconds: float
    duplicates: int | None  # None: a second effect of one event could not show (see the consumer)
    missing: int
    cpu_busy: float  # of all cores, 0..1
    service_cores: float  # CPU time of the service's processes per second of drain

    def figures(self, events: int) -> dict[str, float]:
        figures = {
            "drain_s": round(self.seconds, 2),
            "events_per_s": round(events / self.seconds, 1),
            "missing_effects": float(self.missing),
            "cpu_busy": round(self.cpu_busy, 2),
            "service_cores": round(self.service_cores, 2),
        }
        if self.duplicates is not None:
            figures["duplicate_effects"] = float(self.duplicates)
        return figures


def process_cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds the processes used so far (fields 14 and 15 of /proc/<pid>/stat)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from the first line of /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


async def wait_for_stable_group(bootstrap_servers: str, group: str, members: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        deadline = time.monotonic() + GROUP_TIMEOUT_S
        while True:
            state = "no coordinator yet"
            with contextlib.suppress(GroupCoordinatorNotAvailableError):  # a fresh broker's offsets topic
                [response] = await admin.describe_consumer_groups([group])
                [described] = response.to_object()["groups"]
                state = f"{described['state']} with {len(described['members'])} members"
                if described["state"] == "Stable" and len(described["members"]) == members:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"group {group} not stable with {members} members: {state}")
            await asyncio.sleep(0.2)
    finally:
        await admin.close()


async def drain(
    ctx: BenchContext, consumer: Consumer, envelopes: list[EventEnvelope], partitions: int, replicas: int
) -> Drain:
    prefix = unique_prefix()
    bootstrap = ctx.kafka.bootstrap_servers
    run = consumer.run(ctx, f"p5_{consumer.service}_{partitions}p_{replicas}r")
    await ensure_topics(bootstrap, [f"{prefix}{consumer.topic}"], TopicSettings(partitions=partitions))
    extra = run.environment | {"KAFKA_TOPIC_PARTITIONS": str(partitions)}
    services = [(consumer.service, run.database_url)] * replicas
    ctx.progress(
        f"P5 {consumer.service}: {replicas} replica(s), {partitions} partitions, {len(envelopes)} events"
    )
    async with running_services.running(ctx.kafka, prefix, services, extra) as started:
        pids = [replica.process.pid for replica in started[consumer.service] if replica.process is not None]
        await wait_for_stable_group(bootstrap, f"{prefix}{consumer.service}", replicas)
        connection = await asyncpg.connect(run.database_url)
        try:
            busy_before, total_before = cpu_times()
            service_before = process_cpu_s(pids)
            start = time.perf_counter()
            await publish_many(bootstrap, f"{prefix}{consumer.topic}", envelopes)
            deadline = start + (60.0 if ctx.quick else 180.0)
            # Polling the effects is the measurement: the service tells nobody when it is done.
            while (effects := await run.effects(connection)).done < len(envelopes):
                if time.perf_counter() > deadline:
                    break
                await asyncio.sleep(0.05)
            seconds = time.perf_counter() - start
            busy_after, total_after = cpu_times()
            service_s = process_cpu_s(pids) - service_before
            await asyncio.sleep(SETTLE_S)  # a duplicate arriving just after the last effect still counts
            effects = await run.effects(connection)
        finally:
            await connection.close()
    if effects.done < len(envelopes):
        raise TimeoutError(
            f"{consumer.service}: only {effects.done} of {len(envelopes)} events "
            f"took effect after {seconds:.0f} s"
        )
    cpu_busy = (busy_after - busy_before) / max(total_after - total_before, 1)
    missing = len(envelopes) - effects.done
    return Drain(
        partitions=partitions,
        replicas=replicas,
        seconds=seconds,
        duplicates=effects.duplicates,
        missing=missing,
        cpu_busy=cpu_busy,
        service_cores=service_s / seconds,
    )


async def measure(ctx: BenchContext) -> Measurement:
    rounds = 1 if ctx.quick else ROUNDS
    rows: list[Row] = []
    ratios: dict[str, float] = {}
    notes = [
        "per service, the same backlog in every run, published once the group is stable; each run a fresh "
        "database, prefix and group; drain = publish start → every event's effect is there; best of "
        f"{rounds} alternating round(s) per variant (duplicates and missing counted in every round)",
        f"cpu_busy = busy share of all {_cores()} cores over the drain (/proc/stat: the whole machine, "
        "Kafka, PostgreSQL and the bench included); service_cores = CPU seconds of the service's "
        "processes per second of drain (1.0 = one core busy)",
    ]
    speed_ups: list[float] = []
    clean = True
    for consumer in p5_consumers.consumers():
        events = consumer.events_quick if ctx.quick else consumer.events_full
        async with consumer.backlog(ctx, events) as envelopes:
            kinds = "/".join(sorted({envelope.event_type for envelope in envelopes}))
            notes.append(f"{consumer.service}: {len(envelopes)} {kinds}; effect of each: {consumer.effect}")
            for partitions in consumer.partitions:
                # Alternating rounds, the fastest drain of each variant counts (as in P2): a
                # background hiccup on two shared cores then decides less.
                drained = [
                    await drain(ctx, consumer, envelopes, partitions, replicas)
                    for _ in range(rounds)
                    for replicas in (1, 2)
                ]
                clean = clean and all(not result.duplicates and not result.missing for result in drained)
                drains = [
                    best_of([result for result in drained if result.replicas == replicas])
                    for replicas in (1, 2)
                ]
                for result in drains:
                    how_many = f"{result.replicas} replica{'s' if result.replicas > 1 else ''}"
                    variant = f"{consumer.service}: {how_many}, {partitions} partitions"
                    rows.append(Row(NAME, variant, result.figures(len(envelopes))))
                speed_up = drains[0].seconds / drains[1].seconds
                speed_ups.append(speed_up)
                ratios[f"{consumer.service} 2/1 replicas ({partitions} partitions)"] = round(speed_up, 2)
    cores = _cores()
    needed = 1.7 if cores >= 4 else 1.0
    notes.append(
        f"{cores} cores: the target applied is two replicas ≥ {needed:g}× one"
        + ("" if cores >= 4 else " (no slower); ≥ 1.7× needs the cores for it")
    )
    return Measurement(
        key="P5",
        title=TITLE,
        rows=rows,
        ratios=ratios,
        target="two replicas ≥ 1.7× one where the cores allow (on 2 cores: no slower); no duplicate effects",
        met=clean and all(speed_up >= needed for speed_up in speed_ups),
        notes=notes,
    )


def best_of(rounds: list[Drain]) -> Drain:
    """The fastest drain, with the duplicates and missing effects of every round."""
    fastest = min(rounds, key=lambda result: result.seconds)
    duplicates = [result.duplicates for result in rounds if result.duplicates is not None]
    return dataclasses.replace(
        fastest,
        duplicates=sum(duplicates) if duplicates else None,
        missing=sum(result.missing for result in rounds),
    )


def _cores() -> int:
    return os.cpu_count() or 1
