"""Exit details through the API: reason and kind of next step are stored, published on
ParticipantExited/IntegrationAchieved, shown with the outcome and broken down in the report;
details that contradict the destination are refused with nothing written."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.outcomes.conftest import CASEWORKER, OutcomesUnderTest
from tests.integration.outcomes.follow_up_support import exit_with
from tests.support.clock import service_today
from tests.support.kafka_tools import collect_events
from tests.support.tokens import auth_header

pytestmark = pytest.mark.integration

EXIT_DAY = service_today() - dt.timedelta(days=2)


async def test_an_exit_into_a_dual_apprenticeship_keeps_and_publishes_its_details(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id)
    body = {
        "destination": "apprenticeship",
        "exit_date": EXIT_DAY.isoformat(),
        "reason": "found_placement",
        "next_step": "dual_apprenticeship",
    }
    response = await exit_with(outcomes.client, participant_id, body)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert (answer["reason"], answer["next_step"], answer["jobcenter_category"]) == (
        "found_placement",
        "dual_apprenticeship",
        "training",
    )

    events = await collect_events(
        outcomes.bootstrap_servers, outcomes.outcomes_topic, until=lambda events: len(events) >= 2
    )
    for event in events:
        assert (event.data["reason"], event.data["next_step"], event.data["jobcenter_integrated"]) == (
            "found_placement",
            "dual_apprenticeship",
            True,
        )
    exit_view = (await outcomes.outcome(participant_id)).json()["exit"]
    assert (exit_view["reason"], exit_view["next_step"]) == ("found_placement", "dual_apprenticeship")
    assert exit_view["follow_up"]["follow_up_id"] == answer["follow_up"]["follow_up_id"]


async def test_therapy_counts_for_the_programme_and_not_for_the_jobcenter_in_every_breakdown(
    outcomes: OutcomesUnderTest,
) -> None:
    exits = [
        {"destination": "therapy", "reason": "health", "next_step": "therapy"},
        {"destination": "employment", "reason": "regular_end", "next_step": "subsidised_employment"},
        {"destination": "dropout", "reason": "moved_away"},
        {"destination": "school"},
    ]
    for body in exits:
        participant_id = uuid.uuid4()
        await outcomes.enrol_and_place(participant_id)
        response = await exit_with(
            outcomes.client, participant_id, {**body, "exit_date": EXIT_DAY.isoformat()}
        )
        assert response.status_code == 201, response.text
    report = await outcomes.client.get("/v1/reports/integration", headers=auth_header("reporting"))
    assert report.status_code == 200, report.text
    figures = report.json()
    assert (figures["integrations"], figures["jobcenter_integrations"]) == (2, 1)
    assert figures["by_jobcenter_category"] == {
        "training": 0,
        "employment": 1,
        "education": 1,
        "measure": 0,
        "other": 1,
        "none": 1,
        "unknown": 0,
    }
    assert {reason: n for reason, n in figures["by_reason"].items() if n} == {
        "health": 1,
        "regular_end": 1,
        "moved_away": 1,
        "not_recorded": 1,
    }
    assert {step: n for step, n in figures["by_next_step"].items() if n} == {
        "therapy": 1,
        "subsidised_employment": 1,
    }
    assert figures["follow_ups"]["by_status"] == {"scheduled": 4, "due": 0, "overdue": 0, "recorded": 0}
    assert figures["follow_ups"]["six_month_retention_rate"] is None


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"destination": "dropout", "next_step": "therapy"}, "next_step", "next_step_only_for_integrations"),
        (
            {"destination": "employment", "next_step": "dual_apprenticeship"},
            "next_step",
            "next_step_must_fit_destination",
        ),
        (
            {"destination": "apprenticeship", "reason": "dropout"},
            "reason",
            "exit_reason_must_fit_destination",
        ),
        ({"destination": "employment", "next_step": "mini_job"}, "next_step", "enum"),
    ],
)
async def test_details_that_contradict_the_destination_are_refused_and_nothing_is_written(
    outcomes: OutcomesUnderTest, body: dict[str, str], field: str, rule: str
) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id)
    response = await exit_with(outcomes.client, participant_id, {**body, "exit_date": EXIT_DAY.isoformat()})
    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == (field, rule)
    assert (await outcomes.outcome(participant_id)).json()["exit"] is None
    assert await outcomes.fetch("SELECT 1 FROM follow_ups") == []
    assert await outcomes.fetch("SELECT 1 FROM outbox") == []
    # Corrected, the same request goes through.
    fixed = {key: value for key, value in body.items() if key == "destination"}
    corrected = await outcomes.client.post(
        f"/v1/participants/{participant_id}/exit",
        json={**fixed, "exit_date": EXIT_DAY.isoformat()},
        headers=CASEWORKER,
    )
    assert corrected.status_code == 201
