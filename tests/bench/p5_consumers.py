"""The consuming services P5 drains, one class each: the backlog it is given (prepared once per
P5), the fresh database and settings of each run, and how its effects are counted — done, and
duplicated where a second effect of the same event could show at all."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import ClassVar, Protocol

import asyncpg
import httpx

from tests.bench import running_services
from tests.bench.mail_sink import MailArrivals, mail_sink
from tests.bench.model import BenchContext
from tests.bench.people import prepare
from tests.support.intake_flows import enrol
from tests.support.kafka_tools import unique_prefix
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    ParticipantEnrolled,
    ParticipantExited,
    ParticipantWaitlisted,
)
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

OUTBOX_TIMEOUT_S = 120.0
ENROL_CONCURRENCY = 16


@dataclass(frozen=True)
class Effects:
    done: int  # events of the backlog whose effect is there
    duplicates: int | None  # effects beyond one per event; None where a second one cannot show


@dataclass(frozen=True)
class Run:
    """One drain's fresh database, the settings its replicas get, and how to count its effects."""

    database_url: str
    environment: dict[str, str]
    effects: Callable[[asyncpg.Connection], Awaitable[Effects]]


class Consumer(Protocol):
    service: str
    topic: str  # the consumed topic, without the run's prefix
    partitions: ClassVar[tuple[int, ...]]
    effect: str  # what each event of the backlog leads to, as counted
    events_full: int
    events_quick: int

    def backlog(self, ctx: BenchContext, count: int) -> AbstractAsyncContextManager[list[EventEnvelope]]:
        """The same events for every run of this service (and what they need, open meanwhile)."""
        ...

    def run(self, ctx: BenchContext, label: str) -> Run: ...


def wrapped(producer: str, facts: list[tuple[uuid.UUID, EventData]]) -> list[EventEnvelope]:
    return [
        EventEnvelope.wrap(data, producer=producer, participant_id=participant_id)
        for participant_id, data in facts
    ]


def area_of(number: int) -> WorkArea:
    """Spread over the work areas, so the area locks a placement decision takes do not serialise
    the replicas more than real traffic would."""
    areas = list(WorkArea)
    return areas[number % len(areas)]


class Placement:
    """Enrolments → a placement decision each (`ParticipantPlaced` or `…Waitlisted` in its outbox)."""

    service = "placement"
    effect = "a decision in placement's outbox (ParticipantPlaced or ParticipantWaitlisted)"
    topic = INTAKE_EVENTS
    # 3 shows the ceiling a consumer group hits at 3 partitions; 12 is the default.
    partitions: ClassVar[tuple[int, ...]] = (3, 12)
    # Long enough a drain (about ten seconds here) that a rebalance hiccup or a slow start of one
    # replica does not decide the ratio, as it did with 2,000 once placement handled ~650 a second.
    # Not much longer: every decision reads its area's whole waitlist, which a backlog of thousands
    # (unlike a real programme's few dozen) makes grow with every event.
    events_full = 4000
    events_quick = 300
    DECISIONS = ("ParticipantPlaced", "ParticipantWaitlisted")

    @asynccontextmanager
    async def backlog(self, ctx: BenchContext, count: int) -> AsyncIterator[list[EventEnvelope]]:
        yield enrolments(count)

    def run(self, ctx: BenchContext, label: str) -> Run:
        return Run(running_services.database_for(ctx.postgres, label), {}, self.decisions)

    async def decisions(self, connection: asyncpg.Connection) -> Effects:
        """Decisions in placement's outbox: participants with one, and any beyond one each."""
        row = await connection.fetchrow(
            "SELECT count(DISTINCT message_key) AS decided, count(*) AS decisions FROM outbox "
            "WHERE event_type = ANY($1::text[])",
            list(self.DECISIONS),
        )
        assert row is not None
        return Effects(int(row["decided"]), int(row["decisions"]) - int(row["decided"]))


def enrolments(count: int) -> list[EventEnvelope]:
    today = dt.date.today()
    return wrapped(
        "intake",
        [
            (
                uuid.uuid4(),
                ParticipantEnrolled(
                    age_band=AgeBand.AGE_18_20,
                    referral_source=ReferralSource.JOBCENTER,
                    funder=Funder.JOBCENTER,
                    preferred_work_areas=[area_of(number)],
                    enrolled_on=today,
                    enrolment_id=uuid.uuid4(),
                ),
            )
            for number in range(count)
        ],
    )


class Outcomes:
    """Enrolments → a stay each in outcomes' `stays` (a second handling would add a second stay)."""

    service = "outcomes"
    effect = "a row in outcomes' stays (a second handling would add a second stay)"
    topic = INTAKE_EVENTS
    partitions: ClassVar[tuple[int, ...]] = (12,)
    # About 2,700 a second here: a drain of several seconds, like placement's (6,000 took 2 s,
    # and the ratio of so short a drain swung with a replica's first fetch).
    events_full = 24000
    events_quick = 300

    @asynccontextmanager
    async def backlog(self, ctx: BenchContext, count: int) -> AsyncIterator[list[EventEnvelope]]:
        yield enrolments(count)

    def run(self, ctx: BenchContext, label: str) -> Run:
        return Run(running_services.database_for(ctx.postgres, label), {}, self.stays)

    @staticmethod
    async def stays(connection: asyncpg.Connection) -> Effects:
        row = await connection.fetchrow(
            "SELECT count(DISTINCT participant_id) AS people, count(*) AS stays FROM stays"
        )
        assert row is not None
        return Effects(int(row["people"]), int(row["stays"]) - int(row["people"]))


@dataclass
class Notifications:
    """Waitlistings → one mail each to the office, counted where it arrives: the bench's SMTP sink
    (consumed → delivery row → dispatcher → SMTP, all inside the service)."""

    service = "notifications"
    effect = "a mail to the office accepted by the bench's SMTP sink (counted per participant)"
    topic = PLACEMENT_EVENTS
    partitions: ClassVar[tuple[int, ...]] = (12,)
    events_full = 2000  # a mail each, about 320 a second here
    events_quick = 300
    STAFF_EMAIL = "office@werkstattnetz.test"
    sink: MailArrivals | None = None
    sink_port: int = 0

    @asynccontextmanager
    async def backlog(self, ctx: BenchContext, count: int) -> AsyncIterator[list[EventEnvelope]]:
        async with mail_sink() as (self.sink, self.sink_port):
            yield wrapped(
                "placement",
                [
                    (uuid.uuid4(), ParticipantWaitlisted(work_area=area_of(number), position=1 + number // 4))
                    for number in range(count)
                ],
            )

    def run(self, ctx: BenchContext, label: str) -> Run:
        assert self.sink is not None, "backlog() first: it opens the sink"
        self.sink.forget()
        environment = {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.sink_port),
            "STAFF_EMAIL": self.STAFF_EMAIL,
            "CASEWORKER_WAIT_S": "3600",  # no second mail when nobody is assigned during the run
        }
        return Run(running_services.database_for(ctx.postgres, label), environment, self.mails)

    async def mails(self, connection: asyncpg.Connection) -> Effects:
        assert self.sink is not None
        counts = self.sink.mails_about
        return Effects(len(counts), sum(count - 1 for count in counts.values()))


@dataclass
class Intake:
    """Exits (from outcomes) → each participant's enrolment ended in intake's `referrals`.

    Intake must know the people: once per P5 they are referred, interviewed, consented and enrolled
    through intake's API into one database, and every run gets a copy of it. Ending an enrolment a
    second time changes nothing (the domain refuses to), so duplicates cannot show here; the inbox
    keeps a redelivered exit from being handled again anyway.
    """

    service = "intake"
    effect = "the participant's enrolment ended in intake's referrals (a second end cannot show)"
    topic = OUTCOMES_EVENTS
    partitions: ClassVar[tuple[int, ...]] = (12,)
    # About 2,300 a second here. Each person is prepared through the API once (4 requests, about
    # 140 people a second), then every run gets a copy of that database.
    events_full = 12000
    events_quick = 300
    prepared_url: str = ""

    @asynccontextmanager
    async def backlog(self, ctx: BenchContext, count: int) -> AsyncIterator[list[EventEnvelope]]:
        self.prepared_url = running_services.database_for(ctx.postgres, "p5_intake_prepared")
        started_at = time.perf_counter()
        ctx.progress(f"P5: preparing {count} enrolled people in intake (refer, interview, consent, enrol)")
        services = [("intake", self.prepared_url)]
        async with running_services.running(ctx.kafka, unique_prefix(), services, {}) as started:
            async with httpx.AsyncClient(base_url=started["intake"][0].url, timeout=30.0) as client:
                people = await prepare(client, count)
                await enrol_all(client, [referral_id for _, referral_id in people])
            await running_services.outbox_published(self.prepared_url, OUTBOX_TIMEOUT_S)
        ctx.progress(f"P5: {count} people enrolled in {time.perf_counter() - started_at:.0f} s")
        today = dt.date.today()
        exited = ParticipantExited(
            destination=Destination.APPRENTICESHIP,
            exit_date=today,
            integrated=True,
            jobcenter_integrated=True,
            funder=Funder.JOBCENTER,
        )
        yield wrapped("outcomes", [(uuid.UUID(participant_id), exited) for participant_id, _ in people])

    def run(self, ctx: BenchContext, label: str) -> Run:
        assert self.prepared_url, "backlog() first: it prepares the people"
        return Run(ctx.postgres.copy_database(self.prepared_url, label), {}, self.ended)

    @staticmethod
    async def ended(connection: asyncpg.Connection) -> Effects:
        count = await connection.fetchval(
            "SELECT count(*) FROM referrals WHERE enrolment_ended_on IS NOT NULL"
        )
        return Effects(int(count), None)


async def enrol_all(client: httpx.AsyncClient, referral_ids: list[str]) -> None:
    gate = asyncio.Semaphore(ENROL_CONCURRENCY)

    async def one(referral_id: str) -> None:
        async with gate:
            response = await enrol(client, referral_id)
            response.raise_for_status()

    await asyncio.gather(*(one(referral_id) for referral_id in referral_ids))


def consumers() -> list[Consumer]:
    return [Placement(), Outcomes(), Notifications(), Intake()]
