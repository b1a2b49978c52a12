"""Consumers as static group members, each in a process of its own (kill -9 like a crash).

A restarted instance takes its partitions back at once instead of waiting out the dead member's
session (10 s); a normal shutdown hands them to the other replica at once; a replica that dies
for good still loses its partitions to the survivor after the session timeout.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.consumers import committed_offsets, end_offsets, placed
from tests.support.kafka_tools import create_topics, publish, unique_prefix
from werkstattnetz_devstack.testing import KafkaForTests
from werkstattnetz_shared.events import EventEnvelope

pytestmark = pytest.mark.integration

SESSION_TIMEOUT_S = 10.0  # ConsumerSettings' default, which the processes use
REPO = Path(__file__).resolve().parents[3]


class ConsumerProcess:
    def __init__(self, kafka: KafkaForTests, topic: str, group: str, instance_id: str, out: Path) -> None:
        self.out = out
        self._command = [
            sys.executable,
            "-m",
            "tests.support.consumer_process",
            kafka.bootstrap_servers,
            topic,
            group,
            instance_id,
            str(out),
        ]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self._command, cwd=REPO, env=os.environ.copy())

    def lines(self) -> list[tuple[str, float]]:
        if not self.out.exists():
            return []
        parsed = [line.split() for line in self.out.read_text().splitlines() if line.strip()]
        return [(name, float(at)) for name, at in parsed]

    def handled(self) -> dict[str, float]:
        return {name: at for name, at in self.lines() if name != "started"}

    def started_at(self) -> list[float]:
        return [at for name, at in self.lines() if name == "started"]

    def kill_hard(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no goodbye to the group
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture
def processes() -> Iterator[list[ConsumerProcess]]:
    started: list[ConsumerProcess] = []
    yield started
    for process in started:
        process.stop()


async def _until(condition: object, timeout_s: float, what: str) -> None:
    assert callable(condition)
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout_s}s"
        await asyncio.sleep(0.05)


async def _setup(kafka: KafkaForTests) -> tuple[str, str]:
    prefix = unique_prefix()
    topic = f"{prefix}placement.events"
    await create_topics(kafka.bootstrap_servers, topic, f"{topic}.dlq")
    return topic, f"{prefix}group"


async def _publish_all(kafka: KafkaForTests, topic: str, count: int) -> list[EventEnvelope]:
    events = [placed(uuid.uuid4()) for _ in range(count)]
    for event in events:
        await publish(kafka.bootstrap_servers, topic, event)
    return events


async def _until_both_work(kafka: KafkaForTests, topic: str, *processes: ConsumerProcess) -> None:
    """Publish until every process has handled something: the group has split its partitions."""
    deadline = time.monotonic() + 30
    while not all(process.handled() for process in processes):
        assert time.monotonic() < deadline, "the group never split its partitions"
        await _publish_all(kafka, topic, 6)
        await asyncio.sleep(0.5)


async def _until_committed(kafka: KafkaForTests, topic: str, group: str) -> None:
    """Offsets are committed in batches (every second); wait for them before a kill -9."""
    deadline = time.monotonic() + 30
    while True:
        ends = {tp: end for tp, end in (await end_offsets(kafka.bootstrap_servers, topic)).items() if end}
        if await committed_offsets(kafka.bootstrap_servers, group) == ends:
            return
        assert time.monotonic() < deadline, "offsets were never committed"
        await asyncio.sleep(0.2)


async def test_a_restarted_instance_resumes_without_waiting_out_its_old_session(
    kafka_broker: KafkaForTests, tmp_path: Path, processes: list[ConsumerProcess]
) -> None:
    topic, group = await _setup(kafka_broker)
    first = ConsumerProcess(kafka_broker, topic, group, "placement-1", tmp_path / "one.log")
    processes.append(first)
    first.start()
    warm_up = await _publish_all(kafka_broker, topic, 3)
    await _until(lambda: len(first.handled()) == 3, 30, "the first process handling events")
    await _until_committed(kafka_broker, topic, group)
    first.kill_hard()

    again = ConsumerProcess(kafka_broker, topic, group, "placement-1", tmp_path / "two.log")
    processes.append(again)
    again.start()
    await _until(lambda: again.started_at(), 30, "the restarted process starting")
    events = await _publish_all(kafka_broker, topic, 6)
    await _until(lambda: len(again.handled()) >= len(events), 30, "the restarted process handling events")
    handled = again.handled()
    assert {str(e.event_id) for e in events} <= set(handled)
    assert not {str(e.event_id) for e in warm_up} & set(handled), "committed events came again"
    resumed_after = max(handled[str(e.event_id)] for e in events) - again.started_at()[0]
    print(
        f"\n[static membership] restarted instance handled new events {resumed_after:.2f}s after it started"
    )
    # A dynamic member would have waited for the dead one's session to expire (about 9 s here).
    assert resumed_after < SESSION_TIMEOUT_S / 2


async def _two_replicas_at_work(
    kafka: KafkaForTests, tmp_path: Path, processes: list[ConsumerProcess]
) -> tuple[str, ConsumerProcess, ConsumerProcess]:
    """Two static members sharing the partitions, everything handled so far committed."""
    topic, group = await _setup(kafka)
    first = ConsumerProcess(kafka, topic, group, "placement-1", tmp_path / "first.log")
    second = ConsumerProcess(kafka, topic, group, "placement-2", tmp_path / "second.log")
    processes.extend([first, second])
    first.start()
    second.start()
    await _until_both_work(kafka, topic, first, second)
    await _until_committed(kafka, topic, group)
    return topic, first, second


async def _seconds_until_all_handled_by(
    kafka: KafkaForTests, topic: str, survivor: ConsumerProcess, since: float, timeout_s: float
) -> float:
    events = await _publish_all(kafka, topic, 12)
    await _until(
        lambda: {str(e.event_id) for e in events} <= set(survivor.handled()),
        timeout_s,
        "the survivor taking over",
    )
    return max(survivor.handled()[str(e.event_id)] for e in events) - since


async def test_a_normal_shutdown_hands_partitions_over_at_once(
    kafka_broker: KafkaForTests, tmp_path: Path, processes: list[ConsumerProcess]
) -> None:
    topic, leaving, staying = await _two_replicas_at_work(kafka_broker, tmp_path, processes)
    leaving.stop()  # SIGTERM: commit, leave the group as a static member, stop
    took_over_after = await _seconds_until_all_handled_by(kafka_broker, topic, staying, time.time(), 30)
    print(f"\n[static membership] survivor took over {took_over_after:.2f}s after the other left")
    assert took_over_after < SESSION_TIMEOUT_S / 2


async def test_a_replica_that_dies_for_good_loses_its_partitions_after_the_session_timeout(
    kafka_broker: KafkaForTests, tmp_path: Path, processes: list[ConsumerProcess]
) -> None:
    topic, dying, surviving = await _two_replicas_at_work(kafka_broker, tmp_path, processes)
    dying.kill_hard()
    took_over_after = await _seconds_until_all_handled_by(
        kafka_broker, topic, surviving, time.time(), 3 * SESSION_TIMEOUT_S
    )
    print(f"\n[static membership] survivor took over {took_over_after:.2f}s after the kill -9")
    assert took_over_after < SESSION_TIMEOUT_S + 5
