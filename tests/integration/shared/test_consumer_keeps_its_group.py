"""The reliable consumer against a real broker: outages pause a partition while polling goes on,
versions it does not declare are skipped, offsets are committed in batches, and a rebalance hands
partitions over only after the in-flight message is done."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from tests.support.consumers import (
    committed_offsets,
    consuming,
    end_offsets,
    message_count,
    placed,
    quick_settings,
    wait_until,
)
from tests.support.kafka_tools import create_topics, publish, unique_prefix
from werkstattnetz_devstack.testing import KafkaForTests
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.messaging.metrics import MessagingMetrics
from werkstattnetz_shared.messaging.record_handling import Outcome

pytestmark = pytest.mark.integration


async def _topic(kafka: KafkaForTests) -> tuple[str, str]:
    prefix = unique_prefix()
    topic = f"{prefix}placement.events"
    await create_topics(kafka.bootstrap_servers, topic, f"{topic}.dlq")
    return topic, f"{prefix}group"


def _revoked(metrics: MessagingMetrics, group: str) -> float:
    value = metrics.registry.get_sample_value(
        "werkstattnetz_consumer_partitions_revoked_total", {"consumer_group": group}
    )
    return value or 0.0


async def test_an_outage_longer_than_the_poll_interval_neither_parks_nor_loses_the_group(
    kafka_broker: KafkaForTests,
) -> None:
    """Before, a consumer stuck in its retry loop stopped polling and was thrown out of the group
    after max.poll.interval.ms; now the partition is paused and polling goes on."""
    bootstrap = kafka_broker.bootstrap_servers
    topic, group = await _topic(kafka_broker)
    events = [placed() for _ in range(6)]
    outage_until = time.monotonic() + 5.0
    handled: list[uuid.UUID] = []

    async def handler(envelope: EventEnvelope) -> None:
        if time.monotonic() < outage_until:
            raise ConnectionRefusedError("the database is restarting")
        handled.append(envelope.event_id)

    metrics = MessagingMetrics()
    settings = quick_settings(bootstrap, topic, group, max_poll_interval_ms=2_000, max_attempts=2)
    for event in events:
        await publish(bootstrap, topic, event)
    async with consuming(settings, handler, metrics=metrics) as consumer:
        await wait_until(lambda: len(handled) == len(events), timeout_s=60, what="every event handled")
        assert sorted(map(str, handled)) == sorted(str(e.event_id) for e in events)
        assert consumer.dead_lettered_total == 0
        assert _revoked(metrics, group) == 0, "the outage cost the consumer its partitions"
    assert await message_count(bootstrap, f"{topic}.dlq") == 0


async def test_a_version_the_consumer_does_not_declare_is_skipped_not_dead_lettered(
    kafka_broker: KafkaForTests,
) -> None:
    bootstrap = kafka_broker.bootstrap_servers
    topic, group = await _topic(kafka_broker)
    participant = uuid.uuid4()
    newer = placed(participant).model_copy(update={"event_version": 2, "event_id": uuid.uuid4()})
    current = placed(participant)
    handled: list[uuid.UUID] = []

    async def handler(envelope: EventEnvelope) -> None:
        handled.append(envelope.event_id)

    await publish(bootstrap, topic, newer)
    await publish(bootstrap, topic, current)
    async with consuming(quick_settings(bootstrap, topic, group), handler) as consumer:
        await wait_until(lambda: handled == [current.event_id], what="the declared version handled")
        assert consumer.count(Outcome.SKIPPED_UNSUPPORTED_VERSION) == 1
        assert consumer.dead_lettered_total == 0
    assert await message_count(bootstrap, f"{topic}.dlq") == 0


async def test_offsets_are_committed_in_batches_and_on_shutdown(kafka_broker: KafkaForTests) -> None:
    bootstrap = kafka_broker.bootstrap_servers
    topic, group = await _topic(kafka_broker)
    events = [placed() for _ in range(5)]
    handled: list[uuid.UUID] = []

    async def handler(envelope: EventEnvelope) -> None:
        handled.append(envelope.event_id)

    for event in events:
        await publish(bootstrap, topic, event)
    never_on_its_own = quick_settings(
        bootstrap, topic, group, commit_every_messages=1000, commit_every_s=3600
    )
    async with consuming(never_on_its_own, handler):
        await wait_until(lambda: len(handled) == len(events), what="every event handled")
        await asyncio.sleep(1.0)
        assert await committed_offsets(bootstrap, group) == {}, "committed before the batch was full"
    ends = {tp: end for tp, end in (await end_offsets(bootstrap, topic)).items() if end}
    assert await committed_offsets(bootstrap, group) == ends  # committed on shutdown

    every_two = quick_settings(bootstrap, topic, group, commit_every_messages=2, commit_every_s=3600)
    more = [placed() for _ in range(4)]
    for event in more:
        await publish(bootstrap, topic, event)
    async with consuming(every_two, handler):
        await wait_until(lambda: len(handled) == len(events) + len(more), what="the new events handled")
        # 4 handled with a commit every 2: committed while running, nothing handled twice.
        ends = {tp: end for tp, end in (await end_offsets(bootstrap, topic)).items() if end}

        async def all_committed() -> bool:
            return await committed_offsets(bootstrap, group) == ends

        deadline = time.monotonic() + 10
        while not await all_committed():
            assert time.monotonic() < deadline, "the batch was never committed"
            await asyncio.sleep(0.1)
    assert len(handled) == len(set(handled)) == len(events) + len(more)


async def test_a_rebalance_waits_for_the_in_flight_message_and_hands_over_exactly_once(
    kafka_broker: KafkaForTests,
) -> None:
    """A second member joins while the first is mid-stream: every event is handled exactly once,
    and no two members ever work on the same event at the same time."""
    bootstrap = kafka_broker.bootstrap_servers
    topic, group = await _topic(kafka_broker)
    events = [placed() for _ in range(60)]
    handled: list[uuid.UUID] = []
    in_flight: set[uuid.UUID] = set()
    overlaps: list[uuid.UUID] = []

    async def slow_handler(envelope: EventEnvelope) -> None:
        if envelope.event_id in in_flight:
            overlaps.append(envelope.event_id)
        in_flight.add(envelope.event_id)
        try:
            await asyncio.sleep(0.05)
        finally:
            in_flight.discard(envelope.event_id)
        handled.append(envelope.event_id)

    for event in events:
        await publish(bootstrap, topic, event)
    # A large batch size and interval: only the revocation commits, so a lost hand-over would
    # show up as events handled twice.
    settings = quick_settings(bootstrap, topic, group, commit_every_messages=1000, commit_every_s=3600)
    async with consuming(settings, slow_handler):
        await wait_until(lambda: len(handled) >= 10, what="the first member under way")
        async with consuming(settings, slow_handler):
            await wait_until(
                lambda: len(set(handled)) == len(events), timeout_s=60, what="every event handled"
            )
    assert overlaps == []
    assert sorted(map(str, handled)) == sorted(str(e.event_id) for e in events), "an event was handled twice"
