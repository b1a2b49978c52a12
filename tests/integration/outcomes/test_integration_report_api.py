"""The integration report over exits recorded through the API, checked number by number."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from tests.integration.outcomes.conftest import OutcomesUnderTest
from tests.support.tokens import auth_header
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

pytestmark = pytest.mark.integration

REPORTING = auth_header("reporting")
MARCH = {"exited_from": "2025-03-01", "exited_to": "2025-03-31"}

# (funder, work area or None = never placed, destination, exit date)
EXITS = [
    (Funder.JOBCENTER, WorkArea.CARE, "apprenticeship", dt.date(2025, 3, 1)),
    (Funder.JOBCENTER, WorkArea.CARE, "therapy", dt.date(2025, 3, 11)),
    (Funder.JOBCENTER, None, "dropout", dt.date(2025, 3, 12)),
    (Funder.CITY, WorkArea.BIKE_METAL, "employment", dt.date(2025, 3, 31)),
    (Funder.JOBCENTER, WorkArea.BIKE_METAL, "school", dt.date(2025, 4, 1)),
]


async def report(outcomes: OutcomesUnderTest, **params: str) -> dict[str, Any]:
    response = await outcomes.client.get("/v1/reports/integration", params=params, headers=REPORTING)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
async def with_exits(outcomes: OutcomesUnderTest) -> OutcomesUnderTest:
    for funder, work_area, destination, exit_date in EXITS:
        participant_id = uuid.uuid4()
        await outcomes.enrol_and_place(participant_id, funder=funder, work_area=work_area)
        response = await outcomes.exit(participant_id, destination, exit_date)
        assert response.status_code == 201, response.text
    # Enrolled and placed, but not exited: not counted anywhere.
    await outcomes.enrol_and_place(uuid.uuid4())
    return outcomes


async def test_the_report_of_a_period_counts_its_exits(with_exits: OutcomesUnderTest) -> None:
    body = await report(with_exits, **MARCH)

    assert body["period"] == {"exited_from": "2025-03-01", "exited_to": "2025-03-31"}
    assert (body["exits"], body["integrations"], body["integration_rate"]) == (4, 3, 0.75)
    assert (body["jobcenter_integrations"], body["jobcenter_integration_rate"]) == (2, 0.5)
    assert body["by_destination"] == {
        "apprenticeship": 1,
        "employment": 1,
        "therapy": 1,
        "school": 0,
        "other_measure": 0,
        "dropout": 1,
        "unknown": 0,
    }
    assert body["by_work_area"] == {
        "bike_metal": {"exits": 1, "integrations": 1, "integration_rate": 1.0},
        "garden_landscape": {"exits": 0, "integrations": 0, "integration_rate": None},
        "building_services": {"exits": 0, "integrations": 0, "integration_rate": None},
        "care": {"exits": 2, "integrations": 2, "integration_rate": 1.0},
        "none": {"exits": 1, "integrations": 0, "integration_rate": 0.0},
    }


async def test_the_report_can_be_narrowed_to_one_funder(with_exits: OutcomesUnderTest) -> None:
    body = await report(with_exits, **MARCH, funder="jobcenter")

    assert body["funder"] == "jobcenter"
    assert (body["exits"], body["integrations"], body["integration_rate"]) == (3, 2, 0.6667)
    assert body["jobcenter_integration_rate"] == 0.3333
    assert body["by_destination"]["employment"] == 0


async def test_without_bounds_every_exit_counts(with_exits: OutcomesUnderTest) -> None:
    body = await report(with_exits)

    assert body["period"] == {"exited_from": None, "exited_to": None}
    assert (body["exits"], body["integrations"], body["integration_rate"]) == (5, 3, 0.6)
    assert body["by_destination"]["school"] == 1
    assert body["by_work_area"]["bike_metal"] == {"exits": 2, "integrations": 1, "integration_rate": 0.5}


async def test_a_period_without_exits_has_no_rates(outcomes: OutcomesUnderTest) -> None:
    body = await report(outcomes, exited_from="2024-01-01", exited_to="2024-12-31")

    assert (body["exits"], body["integrations"]) == (0, 0)
    assert (body["integration_rate"], body["jobcenter_integration_rate"]) == (None, None)
    assert set(body["by_destination"].values()) == {0}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"exited_from": "2025-04-01", "exited_to": "2025-03-31"}, "exited_from"),
        ({"exited_from": "april"}, "query.exited_from"),
        ({"exited_from": "0001-01-01"}, "query.exited_from"),
        ({"exited_to": "9999-12-31"}, "query.exited_to"),
        ({"funder": "bank"}, "query.funder"),
    ],
)
async def test_bad_report_requests_answer_422_naming_the_field(
    outcomes: OutcomesUnderTest, params: dict[str, str], field: str
) -> None:
    response = await outcomes.client.get("/v1/reports/integration", params=params, headers=REPORTING)

    assert response.status_code == 422
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]


async def test_the_report_is_for_reporting_staff_and_managers(outcomes: OutcomesUnderTest) -> None:
    path = "/v1/reports/integration"
    statuses = [
        (await outcomes.client.get(path)).status_code,
        (await outcomes.client.get(path, headers=auth_header("caseworker"))).status_code,
        (await outcomes.client.get(path, headers=auth_header("reporting"))).status_code,
        (await outcomes.client.get(path, headers=auth_header("manager"))).status_code,
        (await outcomes.client.get(path, headers=auth_header("admin"))).status_code,
    ]
    assert statuses == [401, 403, 200, 200, 200]
