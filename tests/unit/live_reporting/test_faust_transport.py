"""The live worker's Kafka transport closes Faust's gaps that lost events after a kill -9.

No broker here: Faust's consumer thread and the producer's way to the broker are replaced by
recorders, so each rule can be driven into the moment it exists for. The kill -9 test in
tests/integration/live_reporting runs the real thing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, cast

import faust
import pytest
from aiokafka.structs import TopicPartition
from faust.types import TP, FutureMessage, RecordMetadata

from outcomes_live.adapters.faust_transport import (
    ChangelogWriteUnconfirmed,
    ConfirmedFlushProducer,
    SnapshotConsumer,
    Transport,
)

SOURCE = [TP("intake.events", partition) for partition in range(3)]


class PausingFetcherThread:
    """Faust's consumer thread as far as the consumer uses it: the fetch pauses every partition
    while it is in flight, as the end of table recovery can."""

    def __init__(self, live_partitions: set[TP]) -> None:
        self.live_partitions = live_partitions
        self.fetched_for: list[set[TP]] = []

    async def getmany(self, active_partitions: set[TP], timeout: float) -> Mapping[TP, list[Any]]:  # noqa: ASYNC109
        self.live_partitions.clear()
        await asyncio.sleep(0)
        self.fetched_for.append(set(active_partitions))
        return {}


class CommittedOffsetsThread:
    def __init__(self, committed: Mapping[TopicPartition, int | None]) -> None:
        self.committed = committed
        self.sought_to_beginning: list[TopicPartition] = []

    async def seek_to_committed(self) -> Mapping[TopicPartition, int | None]:
        return self.committed

    async def seek_to_beginning(self, *partitions: TopicPartition) -> None:
        self.sought_to_beginning.extend(partitions)


@pytest.fixture
def app() -> faust.App:
    app = faust.App(
        "transport-test", broker="kafka://127.0.0.1:1", web_enabled=False, producer_request_timeout=0.3
    )
    app.transport = Transport(app.conf.broker_consumer, app)
    return app


def consumer_with(app: faust.App, thread: object) -> SnapshotConsumer:
    consumer = cast(SnapshotConsumer, app.consumer)
    consumer._thread = thread  # type: ignore[assignment]
    return consumer


def test_the_app_uses_the_hardened_consumer_and_producer(app: faust.App) -> None:
    assert isinstance(app.consumer, SnapshotConsumer)
    assert isinstance(app.producer, ConfirmedFlushProducer)


async def test_the_fetcher_keeps_the_partitions_it_was_given_when_they_are_paused_meanwhile(
    app: faust.App,
) -> None:
    live = set(SOURCE)
    thread = PausingFetcherThread(live)

    await consumer_with(app, thread)._getmany(live, timeout=0.1)

    assert live == set()  # Faust paused them all during the fetch ...
    assert thread.fetched_for == [set(SOURCE)]  # ... which still asked for exactly those three


async def test_no_active_partition_fetches_nothing_rather_than_every_partition(app: faust.App) -> None:
    thread = PausingFetcherThread(set())

    assert await consumer_with(app, thread)._getmany(set(), timeout=0.1) == {}
    assert thread.fetched_for == []


async def test_source_partitions_never_committed_are_read_again_from_the_beginning(app: faust.App) -> None:
    changelog = app.Table("facts", default=None).changelog_topic.get_topic_name()
    never, zero, committed = (TopicPartition("intake.events", n) for n in range(3))
    changelog_tp = TopicPartition(changelog, 0)
    thread = CommittedOffsetsThread({never: None, zero: 0, committed: 17, changelog_tp: None})

    offsets = await consumer_with(app, thread).seek_to_committed()

    assert sorted(thread.sought_to_beginning) == [never, zero]  # not the one at 17, not the changelog
    assert offsets == thread.committed


def producer_whose_buffer_hands_on_at_once(
    app: faust.App,
) -> tuple[ConfirmedFlushProducer, list[FutureMessage]]:
    """The buffer passes every message on at once, as if aiokafka had taken it and the broker had
    not answered yet."""
    producer = cast(ConfirmedFlushProducer, app.producer)
    handed_on: list[FutureMessage] = []
    producer.buffer.put = handed_on.append  # type: ignore[method-assign, assignment]
    return producer, handed_on


def changelog_write(app: faust.App) -> FutureMessage:
    topic = app.topic("facts-changelog", key_serializer="raw", value_serializer="raw")
    future = topic.as_future_message(key=b"participant", value=b"{}")
    app.producer.send_soon(future)
    return future


def acknowledge(write: FutureMessage) -> None:
    tp = TP("facts-changelog", 0)
    write.set_result(RecordMetadata(topic=tp.topic, partition=tp.partition, topic_partition=tp, offset=0))


async def test_flush_returns_only_when_the_broker_acknowledged_every_write(app: faust.App) -> None:
    producer, handed_on = producer_whose_buffer_hands_on_at_once(app)
    writes = [changelog_write(app) for _ in range(3)]
    for delay, write in enumerate(writes, start=1):
        asyncio.get_running_loop().call_later(0.02 * delay, acknowledge, write)

    await producer.flush()

    assert handed_on == writes
    assert all(write.done() for write in writes)


async def test_flush_fails_when_a_write_is_refused_so_no_offset_is_committed(app: faust.App) -> None:
    producer, _ = producer_whose_buffer_hands_on_at_once(app)
    accepted, refused = changelog_write(app), changelog_write(app)
    acknowledge(accepted)
    refused.set_exception(RuntimeError("NotLeaderForPartition"))

    with pytest.raises(ChangelogWriteUnconfirmed, match=r"1 produced messages not written .*NotLeader"):
        await producer.flush()


async def test_flush_fails_when_a_write_is_not_acknowledged_in_time(app: faust.App) -> None:
    producer, _ = producer_whose_buffer_hands_on_at_once(app)
    changelog_write(app)

    with pytest.raises(
        ChangelogWriteUnconfirmed, match=r"1 produced messages not acknowledged within 0\.3 s"
    ):
        await producer.flush()


async def test_acknowledged_writes_are_forgotten(app: faust.App) -> None:
    producer, _ = producer_whose_buffer_hands_on_at_once(app)
    acknowledge(changelog_write(app))
    await asyncio.sleep(0)  # done callbacks run on the next turn of the loop

    assert producer._unconfirmed == set()
