"""Six-month follow-ups through the API, with a delay of seconds instead of 182 days: scheduled
with the exit, due by themselves (FollowUpDue on outcomes.events), recorded once
(FollowUpRecorded), listed by status, and counted in the report's retention rate."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.integration.outcomes.conftest import CASEWORKER, OutcomesUnderTest
from tests.integration.outcomes.follow_up_support import (
    exit_with,
    outbox,
    outcomes_running,
    outcomes_settings,
)
from tests.support.clock import service_today
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

pytestmark = pytest.mark.integration

DELAY_S = 2.0
EXIT_DAY = service_today() - dt.timedelta(days=1)


@pytest.fixture
async def outcomes_soon(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> AsyncIterator[OutcomesUnderTest]:
    settings = await outcomes_settings(
        kafka_broker, postgres_server, follow_up_delay_s=DELAY_S, follow_up_poll_s=0.1
    )
    async with outcomes_running(settings) as outcomes:
        yield outcomes


async def exit_into(outcomes: OutcomesUnderTest, destination: str, **details: str) -> dict[str, Any]:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id)
    body = {"destination": destination, "exit_date": EXIT_DAY.isoformat(), **details}
    response = await exit_with(outcomes.client, participant_id, body)
    assert response.status_code == 201, response.text
    return {"participant_id": participant_id, **response.json()["follow_up"]}


async def record(outcomes: OutcomesUnderTest, follow_up_id: str, body: dict[str, str], **headers: str) -> Any:
    return await outcomes.client.post(
        f"/v1/follow-ups/{follow_up_id}/record", json=body, headers={**CASEWORKER, **headers}
    )


async def listed(outcomes: OutcomesUnderTest, status: str) -> list[str]:
    response = await outcomes.client.get(f"/v1/follow-ups?status={status}", headers=CASEWORKER)
    assert response.status_code == 200, response.text
    return [item["follow_up_id"] for item in response.json()["items"]]


async def test_a_follow_up_falls_due_by_itself_and_is_recorded_once(outcomes_soon: OutcomesUnderTest) -> None:
    outcomes = outcomes_soon
    follow_up = await exit_into(outcomes, "apprenticeship", next_step="dual_apprenticeship")
    follow_up_id = follow_up["follow_up_id"]
    assert follow_up["status"] == "scheduled"
    assert await listed(outcomes, "scheduled") == [follow_up_id]
    early = await record(outcomes, follow_up_id, {"situation": "still_in_training"})
    assert (early.status_code, early.json()["error"]["code"]) == (409, "follow_up_must_be_due")

    events = await collect_events(
        outcomes.bootstrap_servers,
        outcomes.outcomes_topic,
        until=lambda events: any(event.event_type == "FollowUpDue" for event in events),
    )
    [due] = [event for event in events if event.event_type == "FollowUpDue"]
    assert due.participant_id == follow_up["participant_id"]
    assert due.data == {
        "follow_up_id": follow_up_id,
        "exit_date": EXIT_DAY.isoformat(),
        "due_on": follow_up["due_on"],
        "destination": "apprenticeship",
        "integrated": True,
        "jobcenter_integrated": True,
        "work_area": "care",
        "funder": "jobcenter",
    }
    assert await listed(outcomes, "due") == [follow_up_id]

    key = {"Idempotency-Key": str(uuid.uuid4())}
    recorded = await record(outcomes, follow_up_id, {"situation": "still_in_training"}, **key)
    assert recorded.status_code == 200, recorded.text
    assert (recorded.json()["status"], recorded.json()["situation"]) == ("recorded", "still_in_training")
    assert recorded.json()["recorded_on"] == service_today().isoformat()
    replayed = await record(outcomes, follow_up_id, {"situation": "still_in_training"}, **key)
    assert (replayed.status_code, replayed.headers.get("Idempotent-Replayed")) == (200, "true")
    again = await record(outcomes, follow_up_id, {"situation": "changed"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "follow_up_recorded_once")

    events = await collect_events(
        outcomes.bootstrap_servers,
        outcomes.outcomes_topic,
        until=lambda events: any(event.event_type == "FollowUpRecorded" for event in events),
    )
    [recorded_event] = [event for event in events if event.event_type == "FollowUpRecorded"]
    assert recorded_event.data["situation"] == "still_in_training"
    assert recorded_event.data["next_step"] == "dual_apprenticeship"
    assert recorded_event.data["funders"] == ["jobcenter"]
    assert len(await outbox(outcomes.settings, "FollowUpDue")) == 1
    assert await listed(outcomes, "recorded") == [follow_up_id]
    assert await listed(outcomes, "due") == []

    shown = (await outcomes.outcome(follow_up["participant_id"])).json()["exit"]["follow_up"]
    assert (shown["status"], shown["situation"]) == ("recorded", "still_in_training")


async def test_the_retention_rate_counts_recorded_follow_ups_of_integrations(
    outcomes_soon: OutcomesUnderTest,
) -> None:
    outcomes = outcomes_soon
    plan = [
        ("apprenticeship", "still_in_training"),
        ("employment", "still_employed"),
        ("employment", "changed"),
        ("therapy", "unknown"),
        ("dropout", "still_employed"),  # no integration: not in the rate
        ("apprenticeship", None),  # not recorded: not in the rate
    ]
    follow_ups = [(await exit_into(outcomes, destination), situation) for destination, situation in plan]

    async def all_due() -> bool:
        return len(await outbox(outcomes.settings, "FollowUpDue")) == len(plan)

    await eventually(all_due, what="every follow-up to fall due")
    for follow_up, situation in follow_ups:
        if situation is not None:
            response = await record(outcomes, follow_up["follow_up_id"], {"situation": situation})
            assert response.status_code == 200, response.text

    report = await outcomes.client.get("/v1/reports/integration", headers=auth_header("reporting"))
    figures = report.json()["follow_ups"]
    assert (figures["integrations_followed_up"], figures["integrations_retained"]) == (4, 2)
    assert figures["six_month_retention_rate"] == 0.5
    assert figures["jobcenter_six_month_retention_rate"] == 0.6667
    assert figures["by_status"] == {"scheduled": 0, "due": 1, "overdue": 0, "recorded": 5}
    city = await outcomes.client.get("/v1/reports/integration?funder=city", headers=auth_header("reporting"))
    assert city.json()["follow_ups"]["six_month_retention_rate"] is None


async def test_unrecorded_past_the_grace_period_a_follow_up_is_overdue(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> None:
    settings = await outcomes_settings(
        kafka_broker, postgres_server, follow_up_delay_s=0.5, follow_up_grace_days=0, follow_up_poll_s=0.1
    )
    async with outcomes_running(settings) as outcomes:
        follow_up = await exit_into(outcomes, "school")

        async def overdue() -> bool:
            return await listed(outcomes, "overdue") == [follow_up["follow_up_id"]]

        await eventually(overdue, what="the follow-up to be overdue")
        view = (
            await outcomes.client.get(f"/v1/follow-ups/{follow_up['follow_up_id']}", headers=CASEWORKER)
        ).json()
        assert view["status"] == "overdue"
        assert view["overdue_from"] == view["due_at"]


async def test_follow_up_refusals(outcomes_soon: OutcomesUnderTest) -> None:
    outcomes = outcomes_soon
    unknown = await record(outcomes, str(uuid.uuid4()), {"situation": "unknown"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "follow_up_must_be_known")
    follow_up = await exit_into(outcomes, "employment")

    async def due() -> bool:
        return await listed(outcomes, "due") == [follow_up["follow_up_id"]]

    await eventually(due, what="the follow-up to fall due")
    tomorrow = (service_today() + dt.timedelta(days=1)).isoformat()
    future = await record(
        outcomes, follow_up["follow_up_id"], {"situation": "unknown", "recorded_on": tomorrow}
    )
    assert future.status_code == 422
    assert future.json()["error"]["details"][0] == {
        "field": "recorded_on",
        "rule": "recorded_on_not_in_future",
        "message": future.json()["error"]["message"],
    }
    free_text = await record(outcomes, follow_up["follow_up_id"], {"situation": "works at Bäckerei Müller"})
    assert free_text.status_code == 422
    reporting = await outcomes.client.get("/v1/follow-ups", headers=auth_header("reporting"))
    assert reporting.status_code == 403
    assert await outcomes.fetch("SELECT 1 FROM follow_ups WHERE situation IS NOT NULL") == []
    assert await outbox(outcomes.settings, "FollowUpRecorded") == []
