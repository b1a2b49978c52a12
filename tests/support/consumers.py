"""Running the project's ReliableConsumer against the real broker in tests."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from werkstattnetz_shared.events import EventEnvelope, ParticipantPlaced
from werkstattnetz_shared.events.vocabulary import WorkArea
from werkstattnetz_shared.messaging.consumer import ConsumerSettings, ReliableConsumer
from werkstattnetz_shared.messaging.event_handler import EventHandler, HandleEnvelope
from werkstattnetz_shared.messaging.metrics import MessagingMetrics
from werkstattnetz_shared.messaging.producer import idempotent_producer


def placed(participant_id: uuid.UUID | None = None) -> EventEnvelope:
    return EventEnvelope.wrap(
        ParticipantPlaced(work_area=WorkArea.CARE, placed_on=dt.date(2026, 11, 25), from_waitlist=False),
        producer="placement",
        participant_id=participant_id or uuid.uuid4(),
    )


def quick_settings(bootstrap: str, topic: str, group: str, **overrides: Any) -> ConsumerSettings:
    """Short backoffs, so tests do not wait on them."""
    settings = ConsumerSettings(
        bootstrap_servers=bootstrap,
        group_id=group,
        topics=(topic,),
        retry_backoff_s=0.01,
        infrastructure_backoff_initial_s=0.05,
        infrastructure_backoff_max_s=0.1,
    )
    return dataclasses.replace(settings, **overrides)


@contextlib.asynccontextmanager
async def consuming(
    settings: ConsumerSettings,
    handler: HandleEnvelope,
    *,
    contracts: tuple[type[ParticipantPlaced], ...] = (ParticipantPlaced,),
    metrics: MessagingMetrics | None = None,
) -> AsyncIterator[ReliableConsumer]:
    consumer = ReliableConsumer(
        settings,
        EventHandler.for_contracts(contracts, handler),
        lambda: idempotent_producer(settings.bootstrap_servers, "test-dlq"),
        metrics,
    )
    task = asyncio.create_task(consumer.run())
    try:
        yield consumer
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def wait_until(condition: Callable[[], bool], timeout_s: float = 30.0, what: str = "condition") -> None:
    try:
        async with asyncio.timeout(timeout_s):
            while not condition():  # noqa: ASYNC110 - polling plain state another task changes
                await asyncio.sleep(0.05)
    except TimeoutError:
        raise AssertionError(f"{what} did not happen within {timeout_s}s") from None


async def committed_offsets(bootstrap: str, group: str) -> dict[TopicPartition, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return {tp: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}


async def end_offsets(bootstrap: str, topic: str) -> dict[TopicPartition, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await admin.start()
    await reader.start()
    try:
        [described] = await admin.describe_topics([topic])
        partitions = [TopicPartition(topic, p["partition"]) for p in described["partitions"]]
        ends: dict[TopicPartition, int] = await reader.end_offsets(partitions)
        return ends
    finally:
        await reader.stop()
        await admin.close()


async def message_count(bootstrap: str, topic: str) -> int:
    """How many records a (never compacted) topic holds: the sum of its end offsets."""
    return sum((await end_offsets(bootstrap, topic)).values())
