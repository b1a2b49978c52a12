"""The reliable consumer against a real broker: bounded retries, dead-letter topic, infrastructure
failures that only pause, and offsets that survive a restart."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import pytest

from tests.support.consumers import consuming as support_consuming
from tests.support.consumers import placed, quick_settings, wait_until
from tests.support.kafka_tools import collect_records, create_topics, publish, publish_raw, unique_prefix
from werkstattnetz_devstack.testing import KafkaForTests
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.messaging.consumer import ReliableConsumer
from werkstattnetz_shared.messaging.event_handler import HandleEnvelope

pytestmark = pytest.mark.integration


@contextlib.asynccontextmanager
async def consuming(
    bootstrap: str, topic: str, group: str, handler: HandleEnvelope, *, max_attempts: int = 3
) -> AsyncIterator[ReliableConsumer]:
    async with support_consuming(
        quick_settings(bootstrap, topic, group, max_attempts=max_attempts), handler
    ) as consumer:
        yield consumer


async def test_poison_message_is_parked_and_the_next_one_is_handled(kafka_broker: KafkaForTests) -> None:
    bootstrap = kafka_broker.bootstrap_servers
    prefix = unique_prefix()
    topic = f"{prefix}placement.events"
    await create_topics(bootstrap, topic, f"{topic}.dlq")
    handled: list[uuid.UUID] = []

    async def handler(envelope: EventEnvelope) -> None:
        handled.append(envelope.event_id)

    good = placed()
    # Same key, so the poison message and the good one share a partition and their order.
    await publish_raw(bootstrap, topic, good.kafka_key, b"{not json")
    await publish(bootstrap, topic, good)

    async with consuming(bootstrap, topic, f"{prefix}group", handler) as consumer:
        await wait_until(lambda: handled == [good.event_id])
        assert consumer.dead_lettered_total == 1

    parked = await collect_records(bootstrap, f"{topic}.dlq", until=lambda records: len(records) >= 1)
    assert parked[0].value == b"{not json"
    headers = {name: value.decode() for name, value in parked[0].headers}
    assert headers["dlq_error_type"] == "ValidationError"
    assert headers["dlq_source_topic"] == topic
    assert int(headers["dlq_source_offset"]) >= 0
    assert headers["dlq_attempts"] == "0"


async def test_a_failing_handler_is_retried_a_bounded_number_of_times(kafka_broker: KafkaForTests) -> None:
    bootstrap = kafka_broker.bootstrap_servers
    prefix = unique_prefix()
    topic = f"{prefix}placement.events"
    await create_topics(bootstrap, topic, f"{topic}.dlq")
    doomed, fine = placed(), placed()
    attempts: dict[uuid.UUID, int] = {}

    async def handler(envelope: EventEnvelope) -> None:
        attempts[envelope.event_id] = attempts.get(envelope.event_id, 0) + 1
        if envelope.event_id == doomed.event_id:
            raise ValueError("this event breaks a rule")

    await publish(bootstrap, topic, doomed)
    await publish(bootstrap, topic, fine)
    async with consuming(bootstrap, topic, f"{prefix}group", handler, max_attempts=3) as consumer:
        await wait_until(lambda: fine.event_id in attempts and consumer.dead_lettered_total == 1)

    assert attempts[doomed.event_id] == 3
    assert attempts[fine.event_id] == 1
    parked = await collect_records(bootstrap, f"{topic}.dlq", until=lambda records: len(records) >= 1)
    headers = {name: value.decode() for name, value in parked[0].headers}
    assert headers["dlq_error_message"] == "ValueError: this event breaks a rule"
    assert headers["dlq_attempts"] == "3"
    assert headers["ce_id"] == str(doomed.event_id)


async def test_infrastructure_failures_pause_without_parking(kafka_broker: KafkaForTests) -> None:
    bootstrap = kafka_broker.bootstrap_servers
    prefix = unique_prefix()
    topic = f"{prefix}placement.events"
    await create_topics(bootstrap, topic, f"{topic}.dlq")
    event = placed()
    calls = 0

    async def handler(envelope: EventEnvelope) -> None:
        nonlocal calls
        calls += 1
        if calls <= 5:  # more failures than max_attempts: still not the message's fault
            raise ConnectionRefusedError("database is restarting")

    await publish(bootstrap, topic, event)
    async with consuming(bootstrap, topic, f"{prefix}group", handler, max_attempts=2) as consumer:
        await wait_until(lambda: consumer.handled_total == 1, timeout_s=60)
        assert consumer.dead_lettered_total == 0
    assert calls == 6


async def test_committed_offsets_survive_a_restart_and_nothing_is_handled_twice(
    kafka_broker: KafkaForTests,
) -> None:
    bootstrap = kafka_broker.bootstrap_servers
    prefix = unique_prefix()
    topic = f"{prefix}placement.events"
    await create_topics(bootstrap, topic, f"{topic}.dlq")
    seen: list[uuid.UUID] = []

    async def handler(envelope: EventEnvelope) -> None:
        seen.append(envelope.event_id)

    first, second = placed(), placed()
    await publish(bootstrap, topic, first)
    async with consuming(bootstrap, topic, f"{prefix}group", handler):
        await wait_until(lambda: seen == [first.event_id])
    await publish(bootstrap, topic, second)
    async with consuming(bootstrap, topic, f"{prefix}group", handler):
        await wait_until(lambda: second.event_id in seen)
    assert seen == [first.event_id, second.event_id]
