"""A funder's reporting consumer: a running integration rate from werkstattnetz's `outcomes.events`.

It relies on nothing but the published contract (the AsyncAPI document): the `ce_type` header to
pick the events it counts, the JSON envelope's `event_id` to drop redeliveries (delivery is at
least once) and `data` of `ParticipantExited` v1 for the figures. Other types and versions are
skipped, unknown fields ignored, as the contract asks of every consumer.

    python funder_consumer.py --bootstrap-servers 127.0.0.1:9092
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

EXIT_TYPE = "org.werkstattnetz.ParticipantExited.v1"
# The Jobcenter counts only training and work (DOMAIN: therapy is integrated for the programme,
# not for the Jobcenter). Newer exits say so themselves in `jobcenter_integrated`.
JOBCENTER_DESTINATIONS = {"apprenticeship", "employment"}


@dataclass
class Rate:
    integrated: int = 0
    exits: int = 0

    def count(self, integrated: bool) -> None:
        self.exits += 1
        self.integrated += integrated

    def __str__(self) -> str:
        share = f"{100 * self.integrated / self.exits:.1f} %" if self.exits else "–"
        return f"{self.integrated}/{self.exits} = {share}"


@dataclass
class IntegrationRates:
    """Programme view (therapy counts), Jobcenter view (it does not), and the Jobcenter's own exits."""

    programme: Rate = field(default_factory=Rate)
    jobcenter_view: Rate = field(default_factory=Rate)
    jobcenter_funded: Rate = field(default_factory=Rate)
    seen_event_ids: set[str] = field(default_factory=set)

    def take(self, ce_type: str | None, value: bytes) -> str:
        """Count one record; answers the line to print."""
        if ce_type != EXIT_TYPE:
            return f"skipped {ce_type or 'a record without ce_type'}"
        envelope: dict[str, Any] = json.loads(value)
        event_id = envelope["event_id"]
        if event_id in self.seen_event_ids:
            return f"duplicate {event_id} ignored | {self}"
        self.seen_event_ids.add(event_id)
        data = envelope["data"]
        jobcenter_integrated = data.get("jobcenter_integrated")
        if jobcenter_integrated is None:
            jobcenter_integrated = data["destination"] in JOBCENTER_DESTINATIONS
        self.programme.count(data["integrated"])
        self.jobcenter_view.count(jobcenter_integrated)
        if data.get("funder") == "jobcenter":
            self.jobcenter_funded.count(jobcenter_integrated)
        return f"exit {event_id} {data['destination']} | {self}"

    def __str__(self) -> str:
        return (
            f"exits {self.programme.exits} | programme {self.programme} | "
            f"Jobcenter view {self.jobcenter_view} | Jobcenter-funded {self.jobcenter_funded}"
        )


class FromTheBeginning(ConsumerRebalanceListener):  # type: ignore[misc]
    """The rates live in memory, so every start recounts the whole retained topic."""

    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self.consumer = consumer

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        pass

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        if assigned:
            await self.consumer.seek_to_beginning(*assigned)


async def run(options: argparse.Namespace) -> IntegrationRates:
    topic = f"{options.topic_prefix}outcomes.events"
    consumer = AIOKafkaConsumer(
        bootstrap_servers=options.bootstrap_servers,
        group_id=options.group_id,
        auto_offset_reset="earliest",
        # Nothing to commit: the figures are not stored, so a restart must read everything again.
        enable_auto_commit=False,
    )
    consumer.subscribe([topic], listener=FromTheBeginning(consumer))
    await consumer.start()
    rates, records = IntegrationRates(), 0
    print(f"reading {topic} as group {options.group_id}", flush=True)
    try:
        while options.max_events is None or records < options.max_events:
            # Without --exit-after-idle, poll in one-second rounds until Ctrl-C.
            batches = await consumer.getmany(timeout_ms=int((options.exit_after_idle or 1.0) * 1000))
            if not batches and options.exit_after_idle:
                print(f"idle for {options.exit_after_idle:g} s", flush=True)
                break
            for record in (record for batch in batches.values() for record in batch):
                headers = {name: raw.decode() for name, raw in record.headers}
                records += 1
                print(f"#{records} {rates.take(headers.get('ce_type'), record.value or b'')}", flush=True)
                if records == options.max_events:
                    break
    finally:
        await consumer.stop()
    print(f"final: {rates}", flush=True)
    return rates


def parsed_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--topic-prefix", default="", help="the deployment's KAFKA_TOPIC_PREFIX")
    parser.add_argument("--group-id", default="funder-reporting", help="this consumer's own group")
    parser.add_argument("--max-events", type=int, default=None, help="stop after this many records")
    parser.add_argument(
        "--exit-after-idle", type=float, default=0.0, help="stop after this many seconds without a record"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C ends the example; the broker keeps no state of it
        asyncio.run(run(parsed_options(sys.argv[1:])))
