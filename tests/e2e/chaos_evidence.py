"""What the chaos test reads after the storm: each service's database, every topic, the mailbox.

Topics are read with `isolation_level="read_committed"` from the beginning to their end offsets.
The relay publishes at least once, so a topic may hold an event twice; `TopicEvents` keeps every
record and offers the events deduplicated by `event_id`.
"""

from __future__ import annotations

import asyncio
import collections
import email.parser
import email.policy
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer

from tests.e2e.chaos_system import ChaosSystem
from tests.support.consumers import end_offsets
from werkstattnetz_shared.events import EventEnvelope

OUTBOX_PENDING = "SELECT count(*) FROM outbox WHERE published_at IS NULL"


async def fetch(database_url: str, query: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(database_url, timeout=10)
    try:
        return list(await connection.fetch(query))
    finally:
        await connection.close()


async def fetch_value(database_url: str, query: str) -> Any:
    return (await fetch(database_url, query))[0][0]


@dataclass
class TopicEvents:
    records: list[EventEnvelope]

    @property
    def unique(self) -> dict[uuid.UUID, EventEnvelope]:
        return {event.event_id: event for event in self.records}

    def of_type(self, *event_types: str) -> list[EventEnvelope]:
        return [event for event in self.unique.values() if event.event_type in event_types]

    def by_participant(self, *event_types: str) -> dict[uuid.UUID, list[EventEnvelope]]:
        grouped: dict[uuid.UUID, list[EventEnvelope]] = collections.defaultdict(list)
        for event in self.of_type(*event_types):
            grouped[event.participant_id].append(event)
        return grouped


async def read_topic(bootstrap_servers: str, topic: str, timeout_s: float = 60.0) -> list[bytes]:
    """Every committed record's value, from the beginning to the end offsets seen at the start."""
    ends = await end_offsets(bootstrap_servers, topic)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        isolation_level="read_committed",
        fetch_max_wait_ms=100,
    )
    await consumer.start()
    # aiokafka 0.14 cancels a group-less consumer's internal task on stop(); if that task never got
    # to run, stop() raises CancelledError. One turn of the event loop lets it start.
    await asyncio.sleep(0)
    values: list[bytes] = []
    try:
        consumer.assign(list(ends))
        await consumer.seek_to_beginning(*ends)
        async with asyncio.timeout(timeout_s):
            while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
                for batch in (await consumer.getmany(timeout_ms=200)).values():
                    values += [record.value or b"" for record in batch]
    finally:
        await consumer.stop()
    return values


async def dead_letter_count(bootstrap_servers: str, topic: str) -> int:
    """How many records a dead-letter topic holds; -1 when it has no partitions (does not exist)."""
    ends = await end_offsets(bootstrap_servers, topic)
    return sum(ends.values()) if ends else -1


async def events_on(bootstrap_servers: str, topic: str) -> TopicEvents:
    return TopicEvents(
        [EventEnvelope.from_json_bytes(value) for value in await read_topic(bootstrap_servers, topic)]
    )


@dataclass
class Mailbox:
    """Message-IDs of the mails the SMTP sink stored, with the file name (arrival time) of each."""

    arrivals: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, files: Iterable[Path]) -> Mailbox:
        parser = email.parser.BytesHeaderParser(policy=email.policy.default)
        arrivals: dict[str, list[str]] = collections.defaultdict(list)
        for path in files:
            headers = parser.parsebytes(path.read_bytes())
            arrivals[str(headers["Message-ID"])].append(path.name)
        return cls(dict(arrivals))

    @property
    def mails(self) -> int:
        return sum(len(names) for names in self.arrivals.values())

    @property
    def duplicated(self) -> dict[str, list[str]]:
        return {message_id: names for message_id, names in self.arrivals.items() if len(names) > 1}


@dataclass
class Evidence:
    """Everything the verdicts are computed from, read once the system settled."""

    intake_enrolled: dict[uuid.UUID, uuid.UUID]  # participant → referral
    intake_left: set[uuid.UUID]  # participants whose enrolment intake ended (it heard of the exit)
    placement_participants: dict[uuid.UUID, asyncpg.Record]
    workshops: dict[str, int]  # work area → seats of its workshops
    open_offers: dict[uuid.UUID, str]  # participant holding an open seat offer → its work area
    outcomes_exits: dict[uuid.UUID, asyncpg.Record]
    deliveries: list[asyncpg.Record]
    outboxes: dict[str, set[uuid.UUID]]  # service → every event id it ever put in its outbox
    pending_outbox_rows: dict[str, int]
    topics: dict[str, TopicEvents]
    dead_letters: dict[str, int]
    mailbox: Mailbox


async def gather_evidence(system: ChaosSystem) -> Evidence:
    urls = {name: service.database_url for name, service in system.services.items()}
    bootstrap = system.bootstrap_servers
    intake_rows = await fetch(
        urls["intake"],
        "SELECT participant_id, referral_id, enrolment_ended_on FROM referrals "
        "WHERE enrolment_id IS NOT NULL",
    )
    placement_rows = await fetch(urls["placement"], "SELECT * FROM participants")
    workshop_rows = await fetch(
        urls["placement"], "SELECT work_area, sum(seats)::int AS seats FROM workshops GROUP BY work_area"
    )
    offer_rows = await fetch(
        urls["placement"], "SELECT participant_id, work_area FROM offers WHERE status = 'open'"
    )
    exit_rows = await fetch(urls["outcomes"], "SELECT * FROM exits")
    outboxes = {
        name: {row["event_id"] for row in await fetch(url, "SELECT event_id FROM outbox")}
        for name, url in urls.items()
    }
    topics = {name: await events_on(bootstrap, system.topic(f"{name}.events")) for name in system.services}
    return Evidence(
        intake_enrolled={row["participant_id"]: row["referral_id"] for row in intake_rows},
        intake_left={row["participant_id"] for row in intake_rows if row["enrolment_ended_on"]},
        placement_participants={row["participant_id"]: row for row in placement_rows},
        workshops={row["work_area"]: row["seats"] for row in workshop_rows},
        open_offers={row["participant_id"]: row["work_area"] for row in offer_rows},
        outcomes_exits={row["participant_id"]: row for row in exit_rows},
        deliveries=await fetch(urls["notifications"], "SELECT * FROM deliveries"),
        outboxes=outboxes,
        pending_outbox_rows={name: await fetch_value(url, OUTBOX_PENDING) for name, url in urls.items()},
        topics=topics,
        dead_letters={
            topic: await dead_letter_count(bootstrap, system.topic(topic))
            for topic in ("intake.events.dlq", "placement.events.dlq", "outcomes.events.dlq")
        },
        mailbox=Mailbox.read(system.mail.mail_files()),
    )
