"""Reading and writing real Kafka topics from tests."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.events.cloudevents import cloudevent_headers
from werkstattnetz_shared.messaging.topics import TopicSettings, ensure_topics


def unique_prefix() -> str:
    """A topic/group prefix that isolates one test from every other on the shared broker."""
    return f"t{uuid.uuid4().hex[:10]}."


async def create_topics(bootstrap_servers: str, *names: str) -> None:
    await ensure_topics(bootstrap_servers, list(names), TopicSettings(partitions=3))


async def publish(bootstrap_servers: str, topic: str, envelope: EventEnvelope) -> None:
    await publish_raw(
        bootstrap_servers, topic, envelope.kafka_key, envelope.to_json_bytes(), cloudevent_headers(envelope)
    )


async def publish_many(bootstrap_servers: str, topic: str, envelopes: list[EventEnvelope]) -> None:
    """Publish the events as the relay would (key, value, CloudEvents headers), letting the
    producer batch them, and wait until the broker acknowledged every one."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers, enable_idempotence=True, acks="all", linger_ms=5
    )
    await producer.start()
    try:
        sent = [
            await producer.send(
                topic,
                value=envelope.to_json_bytes(),
                key=envelope.kafka_key,
                headers=cloudevent_headers(envelope),
            )
            for envelope in envelopes
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def publish_raw(
    bootstrap_servers: str,
    topic: str,
    key: bytes | None,
    value: bytes,
    headers: list[tuple[str, bytes]] | None = None,
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers, enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key, headers=headers or [])
    finally:
        await producer.stop()


async def collect_records(
    bootstrap_servers: str,
    topic: str,
    *,
    until: Callable[[list[ConsumerRecord[bytes, bytes]]], bool],
    timeout_s: float = 30.0,
) -> list[ConsumerRecord[bytes, bytes]]:
    """Read the topic from the beginning until `until(records)` holds; fail loudly on timeout."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=100,
    )
    await consumer.start()
    records: list[ConsumerRecord[bytes, bytes]] = []
    try:
        async with asyncio.timeout(timeout_s):
            while not until(records):
                batches = await consumer.getmany(timeout_ms=200)
                for batch in batches.values():
                    records.extend(batch)
    except TimeoutError:
        raise AssertionError(f"timed out after {timeout_s}s on {topic}; saw {len(records)} records") from None
    finally:
        await consumer.stop()
    return records


async def collect_events(
    bootstrap_servers: str,
    topic: str,
    *,
    until: Callable[[list[EventEnvelope]], bool],
    timeout_s: float = 30.0,
) -> list[EventEnvelope]:
    def parsed(records: list[ConsumerRecord[bytes, bytes]]) -> list[EventEnvelope]:
        return [EventEnvelope.from_json_bytes(record.value or b"") for record in records]

    records = await collect_records(
        bootstrap_servers, topic, until=lambda rs: until(parsed(rs)), timeout_s=timeout_s
    )
    return parsed(records)
