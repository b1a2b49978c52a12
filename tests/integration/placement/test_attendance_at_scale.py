"""Attendance at the programme's full size for twenty years: 56 seats × 220 days × 20 years
(246,400 entries, 2,240 participants) loaded with COPY; then a month's absence report and a
workshop day's corrections through the real API. The times are printed (run with `-s`), not
asserted: they depend on the machine. The report's plan must read the month through the day index.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from placement.adapters.attendance_read_models import ENTRIES_OF_FUNDED_IN_MONTH
from tests.integration.placement.attendance_support import (
    MANAGER,
    REPORTING,
    AttendanceService,
    attendance_service,
    entry,
)
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

pytestmark = pytest.mark.integration

SEATS_PER_WORKSHOP = 14
AREAS = ("bike_metal", "garden_landscape", "building_services", "care")
DAYS_PER_YEAR = 220
YEARS = range(2006, 2026)
DAYS_PER_STAY = 110  # each seat hosts two participants a year
FUNDING = (["jobcenter"], ["city"], ["jobcenter", "city"])
STATUSES = ("present",) * 22 + ("excused", "sick", "unexcused")
REPORT_MONTH = "2025-06"


@dataclass
class LoadedYears:
    workshops: list[uuid.UUID]
    seat_holders: list[list[uuid.UUID]]
    """Per seat (14 per workshop, in workshop order), who sat there on each recorded day."""
    days: list[dt.date]
    entries: int


def working_days() -> list[dt.date]:
    """220 weekdays of each year, spread over the year (the rest: holidays and closing days)."""
    days: list[dt.date] = []
    for year in YEARS:
        first = dt.date(year, 1, 1)
        year_days = (first + dt.timedelta(days=n) for n in range(366))
        weekdays = [day for day in year_days if day.year == year and day.isoweekday() <= 5]
        days.extend(weekdays[i * len(weekdays) // DAYS_PER_YEAR] for i in range(DAYS_PER_YEAR))
    return days


async def load_twenty_years(service: AttendanceService) -> LoadedYears:
    chance = random.Random(2002)
    days = working_days()
    workshops = [uuid.uuid4() for _ in AREAS]
    now = dt.datetime.now(dt.UTC)
    participants: list[tuple[Any, ...]] = []
    spells: list[tuple[Any, ...]] = []
    entries: list[tuple[Any, ...]] = []
    seat_holders: list[list[uuid.UUID]] = []
    for workshop_id, area in zip(workshops, AREAS, strict=True):
        for _ in range(SEATS_PER_WORKSHOP):
            holders: list[uuid.UUID] = []
            for start in range(0, len(days), DAYS_PER_STAY):
                stay = days[start : start + DAYS_PER_STAY]
                person = uuid.uuid4()
                funders = FUNDING[len(participants) % len(FUNDING)]
                participants.append(
                    (person, "ended", area, workshop_id, funders, funders[0], stay[0], stay[0])
                )
                spells.append((person, workshop_id, stay[0], stay[-1], "completed"))
                for day in stay:
                    status = chance.choice(STATUSES)
                    hours = Decimal(6) if status == "present" else Decimal(0)
                    entries.append((person, day, workshop_id, status, hours, 1, "lena.lead", now))
                holders.extend([person] * len(stay))
            seat_holders.append(holders)
    async with service.database() as connection:
        await connection.executemany(
            "INSERT INTO workshops (workshop_id, work_area, name, seats) VALUES ($1, $2, $3, $4)",
            [
                (w, a, f"Werkstatt {w.hex[:8]}", SEATS_PER_WORKSHOP)
                for w, a in zip(workshops, AREAS, strict=True)
            ],
        )
        started = time.perf_counter()
        await connection.copy_records_to_table(
            "participants",
            records=participants,
            columns=[
                "participant_id",
                "status",
                "work_area",
                "workshop_id",
                "funders",
                "funder",
                "enrolled_on",
                "placed_on",
            ],
        )
        await connection.copy_records_to_table(
            "placement_spells",
            records=spells,
            columns=["participant_id", "workshop_id", "placed_on", "ended_on", "end_reason"],
        )
        await connection.copy_records_to_table(
            "attendance",
            records=entries,
            columns=[
                "participant_id",
                "day",
                "workshop_id",
                "status",
                "hours_present",
                "version",
                "recorded_by",
                "recorded_at",
            ],
        )
        copied = time.perf_counter() - started
        await connection.execute("ANALYZE participants; ANALYZE placement_spells; ANALYZE attendance")
    print(
        f"\n[attendance at scale] loaded {len(entries):,} entries, {len(participants):,} participants "
        f"and spells with COPY in {copied:.2f} s"
    )
    return LoadedYears(workshops=workshops, seat_holders=seat_holders, days=days, entries=len(entries))


@pytest.fixture(scope="module")
async def service(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> AsyncIterator[AttendanceService]:
    async with attendance_service(kafka_broker, postgres_server) as running:
        yield running


@pytest.fixture(scope="module")
async def loaded(service: AttendanceService) -> LoadedYears:
    return await load_twenty_years(service)


async def test_twenty_years_of_attendance_are_all_there(
    service: AttendanceService, loaded: LoadedYears
) -> None:
    assert loaded.entries == len(AREAS) * SEATS_PER_WORKSHOP * DAYS_PER_YEAR * len(YEARS) == 246_400
    [count] = await service.sql("SELECT count(*) AS entries FROM attendance")
    assert count["entries"] == loaded.entries


async def test_a_months_report_reads_the_month_through_the_day_index(
    service: AttendanceService, loaded: LoadedYears
) -> None:
    async with service.database() as connection:
        plan = "\n".join(
            row[0]
            for row in await connection.fetch(
                f"EXPLAIN (ANALYZE, BUFFERS) {ENTRIES_OF_FUNDED_IN_MONTH}",
                "jobcenter",
                dt.date(2025, 6, 1),
                dt.date(2025, 6, 30),
            )
        )
    print(f"\n[attendance at scale] plan of the month's entries:\n{plan}")
    assert "attendance_day_idx" in plan
    assert "Seq Scan on attendance" not in plan


async def test_a_months_report_at_scale(service: AttendanceService, loaded: LoadedYears) -> None:
    timings: dict[str, list[float]] = {"json": [], "csv": []}
    for _ in range(6):
        for kind, accept in (("json", "application/json"), ("csv", "text/csv")):
            started = time.perf_counter()
            response = await service.client.get(
                "/v1/reports/absences",
                params={"month": REPORT_MONTH, "funder": "jobcenter"},
                headers=REPORTING | {"Accept": accept},
            )
            timings[kind].append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
            if kind == "json":
                body = response.json()
    for kind, seconds in timings.items():
        median = statistics.median(seconds[1:])
        print(
            f"\n[attendance at scale] report {REPORT_MONTH} (jobcenter, {kind}) over {loaded.entries:,} "
            f"entries: first {seconds[0] * 1000:.1f} ms, median {median * 1000:.1f} ms"
        )

    [expected] = await service.sql(
        """
        SELECT count(DISTINCT a.participant_id) AS participants,
               count(*) FILTER (WHERE a.status = 'unexcused') AS ue,
               count(*) FILTER (WHERE a.status = 'excused') AS e,
               count(*) FILTER (WHERE a.status = 'sick') AS k,
               count(*) AS recorded
        FROM attendance a JOIN participants p USING (participant_id)
        WHERE day BETWEEN '2025-06-01' AND '2025-06-30' AND 'jobcenter' = ANY (p.funders)
        """
    )
    totals = body["totals"]
    assert (totals["participants"], totals["UE"], totals["E"], totals["K"], totals["days_recorded"]) == (
        expected["participants"],
        expected["ue"],
        expected["e"],
        expected["k"],
        expected["recorded"],
    )
    assert totals["participants"] > 30


async def test_a_workshop_day_written_at_scale(service: AttendanceService, loaded: LoadedYears) -> None:
    """Correcting a whole workshop day (14 entries, each checked for a run of unexcused days, the
    earlier versions kept) in the last loaded year."""
    day_index = len(loaded.days) - 30
    day = loaded.days[day_index]
    workshop = loaded.workshops[0]
    sitting = [loaded.seat_holders[seat][day_index] for seat in range(SEATS_PER_WORKSHOP)]
    timings = []
    for status in ("unexcused", "excused", "unexcused"):
        started = time.perf_counter()
        response = await service.put_day(workshop, day, *(entry(p, status) for p in sitting), headers=MANAGER)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    print(
        f"\n[attendance at scale] a workshop day of {len(sitting)} corrections at {loaded.entries:,} "
        "entries: " + ", ".join(f"{seconds * 1000:.1f} ms" for seconds in timings)
    )
    [kept] = await service.sql("SELECT count(*) AS versions FROM attendance_history WHERE day = $1", day)
    assert kept["versions"] >= 2 * len(sitting)
