"""Exits the API refuses: unknown participants, bad dates and destinations, missing roles."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.outcomes.conftest import CASEWORKER, OutcomesUnderTest
from tests.support.clock import service_today
from tests.support.tokens import auth_header

pytestmark = pytest.mark.integration

YESTERDAY = service_today() - dt.timedelta(days=1)


async def test_a_participant_outcomes_never_heard_of_is_404(outcomes: OutcomesUnderTest) -> None:
    unknown = uuid.uuid4()
    exit_ = await outcomes.exit(unknown, "employment", YESTERDAY)
    view = await outcomes.outcome(unknown)
    assert (exit_.status_code, view.status_code) == (404, 404)
    assert exit_.json()["error"]["code"] == "participant_must_be_enrolled"
    assert await outcomes.fetch("SELECT * FROM outbox") == []


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        (
            {"destination": "employment", "exit_date": (service_today() + dt.timedelta(days=2)).isoformat()},
            "exit_date",
            "exit_date_not_in_future",
        ),
        (
            {"destination": "employment", "exit_date": "2025-01-05"},
            "exit_date",
            "exit_date_not_before_enrolment",
        ),
        ({"destination": "moon_landing", "exit_date": "2025-02-01"}, "destination", "enum"),
        ({"destination": "employment", "exit_date": "someday"}, "exit_date", "date_written_as_yyyy_mm_dd"),
        ({"destination": "employment"}, "exit_date", "missing"),
        (
            {"destination": "employment", "exit_date": "0001-01-01"},
            "exit_date",
            "date_within_plausible_range",
        ),
        (
            {"destination": "employment", "exit_date": "9999-12-31"},
            "exit_date",
            "date_within_plausible_range",
        ),
        (
            {"destination": "employment", "exit_date": "2025-02-01", "note": "a\x00"},
            "note",
            "extra_forbidden",
        ),
        ({"destination": "employ\x00ment", "exit_date": "2025-02-01"}, "destination", "no_nul_character"),
    ],
)
async def test_bad_exits_answer_422_naming_the_field_and_write_nothing(
    outcomes: OutcomesUnderTest, body: dict[str, str], field: str, rule: str
) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id, enrolled_on=dt.date(2025, 1, 6))

    response = await outcomes.client.post(
        f"/v1/participants/{participant_id}/exit", json=body, headers=CASEWORKER
    )

    assert response.status_code == 422, response.text
    assert {"field": field, "rule": rule} in [
        {"field": detail["field"], "rule": detail["rule"]} for detail in response.json()["error"]["details"]
    ]
    assert (await outcomes.outcome(participant_id)).json()["status"] == "placed"
    assert await outcomes.fetch("SELECT * FROM outbox") == []
    assert await outcomes.fetch("SELECT * FROM exits") == []


async def test_staff_need_a_valid_token_and_the_right_role(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id)
    exit_path = f"/v1/participants/{participant_id}/exit"
    body = {"destination": "employment", "exit_date": YESTERDAY.isoformat()}

    no_token = await outcomes.client.post(exit_path, json=body)
    garbage = await outcomes.client.post(exit_path, json=body, headers={"Authorization": "Bearer x.y.z"})
    reporting = await outcomes.client.post(exit_path, json=body, headers=auth_header("reporting"))
    intake = await outcomes.client.get(
        f"/v1/participants/{participant_id}/outcome", headers=auth_header("intake")
    )
    assert (no_token.status_code, garbage.status_code, reporting.status_code, intake.status_code) == (
        401,
        401,
        403,
        403,
    )
    manager = await outcomes.client.post(exit_path, json=body, headers=auth_header("manager"))
    assert manager.status_code == 201
    admin_view = await outcomes.client.get(
        f"/v1/participants/{participant_id}/outcome", headers=auth_header("admin")
    )
    assert admin_view.status_code == 200
    assert admin_view.json()["status"] == "exited"
