"""Unexcused absences in a row on real PostgreSQL and Kafka: `AbsenceThresholdReached` reaches
placement.events once per run — when corrections complete or break runs, when requests race, and
never from a request that was refused."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from placement.adapters.attendance_repository import AttendanceRepository
from placement.domain.absence_streaks import UnexcusedStreak
from tests.integration.placement.attendance_support import (
    MANAGER,
    MONDAY,
    AttendanceService,
    attendance_service,
    entry,
    weekday,
)
from tests.support.kafka_tools import collect_records
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.events import AbsenceThresholdReached, parse_event_data
from werkstattnetz_shared.events.vocabulary import WorkArea
from werkstattnetz_shared.messaging.topics import PLACEMENT_EVENTS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def service(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> AsyncIterator[AttendanceService]:
    async with attendance_service(kafka_broker, postgres_server) as running:
        yield running


async def reported(service: AttendanceService, participant_id: uuid.UUID) -> list[dict[str, Any]]:
    """The participant's `AbsenceThresholdReached` in the outbox (what the relay publishes), oldest first."""
    return [
        event for event in await service.outbox_events() if event["participant_id"] == str(participant_id)
    ]


async def record_days(
    service: AttendanceService, workshop: uuid.UUID, lea: uuid.UUID, *statuses: str
) -> None:
    """One request per working day from MONDAY on, as a lead records day by day."""
    await record_days_from(service, workshop, lea, 0, *statuses)


async def record_days_from(
    service: AttendanceService, workshop: uuid.UUID, lea: uuid.UUID, first: int, *statuses: str
) -> None:
    for n, status in enumerate(statuses, start=first):
        await service.record(workshop, weekday(n), entry(lea, status, 6 if status == "present" else None))


async def test_three_unexcused_days_in_a_row_are_published_once(service: AttendanceService) -> None:
    workshop = await service.workshop(area="garden_landscape")
    lea, ben = await service.placed(workshop), await service.placed(workshop)
    await record_days(service, workshop, lea, "present", "unexcused", "unexcused")
    assert await reported(service, lea) == []
    await record_days(service, workshop, ben, "unexcused", "unexcused", "sick", "unexcused")
    await service.record(workshop, weekday(3), entry(lea, "unexcused"))
    await service.record(workshop, weekday(4), entry(lea, "unexcused"))  # the run grows: nothing new
    await service.record(workshop, weekday(4), entry(lea, "unexcused"))  # sent again: nothing new

    [event] = await reported(service, lea)
    assert event["data"] == {
        "workshop_id": str(workshop),
        "work_area": "garden_landscape",
        "streak_started_on": weekday(1).isoformat(),
        "streak_ended_on": weekday(3).isoformat(),
        "unexcused_days": 3,
        "threshold": 3,
    }
    assert await reported(service, ben) == []

    records = await collect_records(
        service.settings.kafka_bootstrap_servers,
        service.settings.topic(PLACEMENT_EVENTS),
        until=lambda records: any(r.key == str(lea).encode() for r in records),
    )
    [record] = [r for r in records if r.key == str(lea).encode()]
    headers = dict(record.headers)
    assert headers["ce_type"] == b"org.werkstattnetz.AbsenceThresholdReached.v1"
    assert headers["ce_subject"] == str(lea).encode()
    [published] = [e for e in await service.published(1) if e.participant_id == lea]
    data = parse_event_data(published)
    assert isinstance(data, AbsenceThresholdReached)
    assert (data.workshop_id, data.work_area, data.unexcused_days) == (workshop, WorkArea.GARDEN_LANDSCAPE, 3)
    [streak] = await service.sql("SELECT * FROM absence_streaks WHERE participant_id = $1", lea)
    assert streak["event_id"] == published.event_id


async def test_weekends_do_not_break_a_run(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea = await service.placed(workshop)
    thursday, friday, monday = weekday(3), weekday(4), weekday(5)
    for day in (thursday, friday, monday):
        await service.record(workshop, day, entry(lea, "unexcused"))
    [event] = await reported(service, lea)
    assert (event["data"]["streak_started_on"], event["data"]["streak_ended_on"]) == (
        thursday.isoformat(),
        monday.isoformat(),
    )


async def test_a_correction_that_completes_a_run_reports_it_once(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea = await service.placed(workshop)
    await record_days(service, workshop, lea, "unexcused", "unexcused", "present", "unexcused")
    assert await reported(service, lea) == []
    await service.record(workshop, weekday(2), entry(lea, "unexcused"))
    await service.record(workshop, weekday(2), entry(lea, "unexcused", 1))  # corrected again
    [event] = await reported(service, lea)
    assert (event["data"]["streak_started_on"], event["data"]["streak_ended_on"]) == (
        weekday(0).isoformat(),
        weekday(3).isoformat(),
    )
    assert event["data"]["unexcused_days"] == 4


async def test_a_correction_that_breaks_a_reported_run_does_not_unsay_it(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea = await service.placed(workshop)
    await record_days(service, workshop, lea, "unexcused", "unexcused", "unexcused", "unexcused")
    assert len(await reported(service, lea)) == 1

    corrected = await service.put_day(workshop, weekday(1), entry(lea, "excused"), headers=MANAGER)
    assert corrected.status_code == 200, corrected.text
    await service.record(workshop, weekday(4), entry(lea, "unexcused"))  # days 2–4: part of the reported run
    assert len(await reported(service, lea)) == 1
    await service.record(workshop, weekday(1), entry(lea, "unexcused"))  # whole again: still the same run
    assert len(await reported(service, lea)) == 1

    await record_days_from(service, workshop, lea, 5, "present", "unexcused", "unexcused", "unexcused")
    first, second = await reported(service, lea)
    assert (second["data"]["streak_started_on"], second["data"]["streak_ended_on"]) == (
        weekday(6).isoformat(),
        weekday(8).isoformat(),
    )
    assert first["data"]["streak_started_on"] == MONDAY.isoformat()


async def test_racing_requests_report_a_run_once(service: AttendanceService) -> None:
    """Days 0 and 2 are unexcused; day 1 and day 3 arrive at once, each completing a run of three
    (0-1-2 and 0-2-3): whichever commits first reports it, the other sees the same run."""
    workshop = await service.workshop()
    participants = [await service.placed(workshop) for _ in range(8)]
    for day in (weekday(0), weekday(2)):
        await service.record(workshop, day, *(entry(p, "unexcused") for p in participants))
    await race(service, workshop, participants, weekday(1), weekday(3))
    for participant in participants:
        assert len(await reported(service, participant)) == 1
    await service.published(len(participants))


async def test_racing_requests_do_not_miss_a_run(service: AttendanceService) -> None:
    """Day 1 is unexcused; days 0 and 2 arrive at once. Neither alone makes three, together they
    do: the later of the two must see the other's day (one participant's writes are serialised)."""
    workshop = await service.workshop()
    participants = [await service.placed(workshop) for _ in range(8)]
    await service.record(workshop, weekday(1), *(entry(p, "unexcused") for p in participants))
    await race(service, workshop, participants, weekday(0), weekday(2))
    for participant in participants:
        [event] = await reported(service, participant)
        assert event["data"]["unexcused_days"] == 3


async def race(
    service: AttendanceService, workshop: uuid.UUID, participants: list[uuid.UUID], *days: dt.date
) -> None:
    answers = await asyncio.gather(
        *(
            service.put_day(workshop, day, entry(participant, "unexcused"), headers=MANAGER)
            for participant in participants
            for day in days
        )
    )
    assert {answer.status_code for answer in answers} == {200}


async def test_the_database_claims_each_reported_day_once(service: AttendanceService) -> None:
    """Without the per-participant lock, two transactions claiming the same run: the second waits
    for the first and finds every day taken, so only one of them reports."""
    lea = uuid.uuid4()
    streak = UnexcusedStreak(lea, (weekday(0), weekday(1), weekday(2)), uuid.uuid4(), WorkArea.CARE, 3)
    first = await asyncpg.connect(service.settings.database_url)
    second = await asyncpg.connect(service.settings.database_url)
    try:
        async with first.transaction():
            assert await AttendanceRepository(first).claim_streak_days(streak) == set()

            async def claim_again() -> set[dt.date]:
                async with second.transaction():
                    return await AttendanceRepository(second).claim_streak_days(streak)

            racing = asyncio.create_task(claim_again())
            await asyncio.sleep(0.3)
            assert not racing.done()  # waits on the first transaction's uncommitted days
        assert await racing == set(streak.days)
    finally:
        await first.close()
        await second.close()


async def test_a_refused_request_reports_nothing(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea = await service.placed(workshop)
    await record_days(service, workshop, lea, "unexcused", "unexcused")
    refused = await service.put_day(
        workshop, weekday(2), entry(lea, "unexcused"), entry(uuid.uuid4(), "sick")
    )
    assert refused.status_code == 422, refused.text
    assert await reported(service, lea) == []
    assert await service.sql("SELECT * FROM absence_streak_days WHERE participant_id = $1", lea) == []


async def test_the_threshold_is_configurable(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> None:
    async with attendance_service(kafka_broker, postgres_server, absence_threshold=2) as service:
        workshop = await service.workshop()
        lea = await service.placed(workshop)
        await record_days(service, workshop, lea, "unexcused", "unexcused")
        [event] = await reported(service, lea)
        assert (event["data"]["unexcused_days"], event["data"]["threshold"]) == (2, 2)
