"""The monthly absence report over HTTP on real PostgreSQL: who is counted for which funder, the
days placed, codes and totals, as JSON and CSV, and who may read it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.integration.placement.attendance_support import (
    ADMIN,
    CASEWORKER,
    LEAD_HEADERS,
    MANAGER,
    REPORTING,
    AttendanceService,
    attendance_service,
    entry,
)
from tests.support.tokens import auth_header
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

pytestmark = pytest.mark.integration

# A month long past, and one whose participants no other test here touches.
MONTH = "2025-03"


def march(day: int) -> dt.date:
    return dt.date(2025, 3, day)


@dataclass
class FundedPeople:
    jobcenter_only: uuid.UUID
    co_funded: uuid.UUID
    city_only: uuid.UUID
    from_the_17th: uuid.UUID
    left_in_february: uuid.UUID


@pytest.fixture(scope="module")
async def service(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> AsyncIterator[AttendanceService]:
    async with attendance_service(kafka_broker, postgres_server) as running:
        yield running


@pytest.fixture(scope="module")
async def people(service: AttendanceService) -> FundedPeople:
    """March 2025: Monday 3rd to Monday 31st, 21 working days."""
    workshop = await service.workshop()
    start = dt.date(2025, 1, 6)
    people = FundedPeople(
        jobcenter_only=await service.placed(workshop, start, funders=["jobcenter"]),
        co_funded=await service.placed(workshop, start, funders=["jobcenter", "city"]),
        city_only=await service.placed(workshop, start, funders=["city"]),
        from_the_17th=await service.placed(workshop, march(17), funders=["jobcenter"]),
        left_in_february=await service.placed(workshop, start, dt.date(2025, 2, 28), funders=["jobcenter"]),
    )
    await service.record(workshop, dt.date(2025, 2, 28), entry(people.left_in_february, "unexcused"))
    await service.record(
        workshop,
        march(3),
        entry(people.jobcenter_only, "present", 6),
        entry(people.co_funded, "unexcused"),
        entry(people.city_only, "sick"),
    )
    await service.record(
        workshop, march(4), entry(people.jobcenter_only, "excused"), entry(people.co_funded, "sick", 2.5)
    )
    await service.record(workshop, march(5), entry(people.jobcenter_only, "unexcused"))
    await service.record(workshop, march(17), entry(people.from_the_17th, "unexcused"))
    await service.record(workshop, march(31), entry(people.jobcenter_only, "sick"))
    return people


async def report(
    service: AttendanceService, funder: str, headers: dict[str, str] = REPORTING, **extra: str
) -> Any:
    response = await service.client.get(
        "/v1/reports/absences", params={"month": MONTH, "funder": funder}, headers=headers | extra
    )
    assert response.status_code == 200, response.text
    return response


async def test_the_funders_participants_with_their_codes_and_totals(
    service: AttendanceService, people: FundedPeople
) -> None:
    body = (await report(service, "jobcenter")).json()
    assert (body["month"], body["funder"]) == (MONTH, "jobcenter")
    assert body["codes"] == {"E": "excused", "UE": "unexcused", "K": "sick"}
    lines = {line["participant_id"]: line for line in body["participants"]}
    assert set(lines) == {str(people.jobcenter_only), str(people.co_funded), str(people.from_the_17th)}
    assert [line["participant_id"] for line in body["participants"]] == sorted(lines)

    mine = lines[str(people.jobcenter_only)]
    assert mine["absences"] == [
        {"day": "2025-03-04", "code": "E"},
        {"day": "2025-03-05", "code": "UE"},
        {"day": "2025-03-31", "code": "K"},
    ]
    assert mine["totals"] == {"E": 1, "UE": 1, "K": 1}
    assert (mine["days_placed"], mine["days_recorded"], mine["days_present"], mine["hours_present"]) == (
        21,
        4,
        1,
        6.0,
    )
    co_funded = lines[str(people.co_funded)]
    assert co_funded["totals"] == {"E": 0, "UE": 1, "K": 1}
    assert co_funded["hours_present"] == 2.5
    assert lines[str(people.from_the_17th)]["days_placed"] == 11
    assert body["totals"] == {
        "participants": 3,
        "days_placed": 53,
        "days_recorded": 7,
        "days_present": 1,
        "E": 1,
        "UE": 3,
        "K": 2,
    }


async def test_a_co_funded_participant_appears_for_each_funder(
    service: AttendanceService, people: FundedPeople
) -> None:
    body = (await report(service, "city")).json()
    assert {line["participant_id"] for line in body["participants"]} == {
        str(people.co_funded),
        str(people.city_only),
    }
    assert body["totals"]["K"] == 2
    nobody = (await report(service, "youth_office")).json()
    assert nobody["participants"] == []
    assert nobody["totals"]["participants"] == 0


async def test_the_report_carries_pseudonymous_ids_only(
    service: AttendanceService, people: FundedPeople
) -> None:
    body = (await report(service, "jobcenter")).json()
    allowed = {
        "participant_id",
        "days_placed",
        "days_recorded",
        "days_present",
        "hours_present",
        "absences",
        "totals",
    }
    assert all(set(line) == allowed for line in body["participants"])


async def test_the_same_report_as_csv(service: AttendanceService, people: FundedPeople) -> None:
    response = await report(service, "jobcenter", Accept="text/csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="absences-jobcenter-2025-03.csv"'
    header, *participants, total = list(csv.reader(io.StringIO(response.text)))
    assert header[:3] == ["participant_id", "2025-03-01", "2025-03-02"]
    assert len(header) == 1 + 31 + 5
    rows = {row[0]: row for row in participants}
    mine = rows[str(people.jobcenter_only)]
    assert (mine[3], mine[4], mine[5], mine[31]) == ("", "E", "UE", "K")
    assert mine[32:] == ["1", "1", "1", "21", "1"]
    assert total[0] == "total"
    assert total[32:] == ["1", "3", "2", "53", "1"]
    json_wins = await report(service, "jobcenter", Accept="application/json, text/csv;q=0.5")
    assert json_wins.headers["content-type"] == "application/json"


async def test_reporting_staff_and_managers_read_it(service: AttendanceService, people: FundedPeople) -> None:
    for headers, status in (
        (REPORTING, 200),
        (MANAGER, 200),
        (ADMIN, 200),
        (CASEWORKER, 403),
        (LEAD_HEADERS, 403),
        (auth_header("intake"), 403),
        ({}, 401),
    ):
        response = await service.client.get(
            "/v1/reports/absences", params={"month": MONTH, "funder": "jobcenter"}, headers=headers
        )
        assert response.status_code == status, (headers, response.text)


@pytest.mark.parametrize(
    ("params", "failure"),
    [
        ({"month": "2025-13", "funder": "jobcenter"}, ("query.month", "string_pattern_mismatch")),
        ({"month": "2025-3", "funder": "jobcenter"}, ("query.month", "string_pattern_mismatch")),
        ({"month": "1989-12", "funder": "jobcenter"}, ("query.month", "report_month_within_plausible_range")),
        ({"month": "2025-03", "funder": "bank"}, ("query.funder", "enum")),
        ({"funder": "jobcenter"}, ("query.month", "missing")),
        ({"month": "2025-03"}, ("query.funder", "missing")),
    ],
)
async def test_the_month_and_funder_are_checked(
    service: AttendanceService, params: dict[str, str], failure: tuple[str, str]
) -> None:
    response = await service.client.get("/v1/reports/absences", params=params, headers=REPORTING)
    assert response.status_code == 422, response.text
    assert failure in [(d["field"], d["rule"]) for d in response.json()["error"]["details"]]
