"""Recording exits through the API: the events they publish, once per participant."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest

from tests.integration.outcomes.conftest import CASEWORKER, OutcomesUnderTest
from tests.support.clock import service_today
from tests.support.kafka_tools import collect_events
from werkstattnetz_shared.events import EventEnvelope

pytestmark = pytest.mark.integration

YESTERDAY = service_today() - dt.timedelta(days=1)


def of_participant(events: list[EventEnvelope], participant_id: uuid.UUID) -> list[EventEnvelope]:
    return [event for event in events if event.participant_id == participant_id]


async def outbox_event_types(outcomes: OutcomesUnderTest, participant_id: uuid.UUID) -> list[str]:
    rows = await outcomes.fetch(
        "SELECT event_type FROM outbox WHERE message_key = $1 ORDER BY id", str(participant_id)
    )
    return [row["event_type"] for row in rows]


async def test_an_exit_into_employment_publishes_exited_then_integration_achieved(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id)
    correlation_id = str(uuid.uuid4())

    response = await outcomes.client.post(
        f"/v1/participants/{participant_id}/exit",
        json={"destination": "employment", "exit_date": YESTERDAY.isoformat()},
        headers={**CASEWORKER, "X-Correlation-ID": correlation_id},
    )

    assert response.status_code == 201, response.text
    recorded = response.json()
    follow_up = recorded.pop("follow_up")
    assert recorded == {
        "participant_id": str(participant_id),
        "destination": "employment",
        "exit_date": YESTERDAY.isoformat(),
        "integrated": True,
        "jobcenter_integrated": True,
        "jobcenter_category": "employment",
        "reason": None,
        "next_step": None,
    }
    due_on = YESTERDAY + dt.timedelta(days=182)
    assert (follow_up["due_on"], follow_up["status"], follow_up["situation"]) == (
        due_on.isoformat(),
        "scheduled",
        None,
    )
    events = await collect_events(
        outcomes.bootstrap_servers, outcomes.outcomes_topic, until=lambda events: len(events) >= 2
    )
    assert [event.event_type for event in events] == ["ParticipantExited", "IntegrationAchieved"]
    exited, achieved = events
    assert exited.data == {
        "destination": "employment",
        "exit_date": YESTERDAY.isoformat(),
        "integrated": True,
        "work_area": "care",
        "funder": "jobcenter",
        "jobcenter_integrated": True,
        "reason": None,
        "next_step": None,
        "imported": None,
    }
    assert achieved.data == {
        "destination": "employment",
        "exit_date": YESTERDAY.isoformat(),
        "work_area": "care",
        "funder": "jobcenter",
        "jobcenter_integrated": True,
        "reason": None,
        "next_step": None,
        "imported": None,
    }
    for event in events:
        assert event.producer == "outcomes"
        assert event.participant_id == participant_id
        assert str(event.correlation_id) == correlation_id

    outcome = (await outcomes.outcome(participant_id)).json()
    assert outcome["status"] == "exited"
    assert outcome["exit"] == {
        "destination": "employment",
        "exit_date": YESTERDAY.isoformat(),
        "integrated": True,
        "jobcenter_integrated": True,
        "jobcenter_category": "employment",
        "reason": None,
        "next_step": None,
        "work_area": "care",
        "follow_up": follow_up,
    }


async def test_a_dropout_publishes_only_participant_exited(outcomes: OutcomesUnderTest) -> None:
    dropout, marker = uuid.uuid4(), uuid.uuid4()
    await outcomes.enrol_and_place(dropout)
    await outcomes.enrol_and_place(marker)

    response = await outcomes.exit(dropout, "dropout", YESTERDAY)
    assert response.status_code == 201, response.text
    assert response.json()["integrated"] is False
    # A later integrated exit: once its events are on the topic, the dropout's are too.
    await outcomes.exit(marker, "apprenticeship", YESTERDAY)

    events = await collect_events(
        outcomes.bootstrap_servers,
        outcomes.outcomes_topic,
        until=lambda events: (
            len(of_participant(events, dropout)) >= 1 and len(of_participant(events, marker)) >= 2
        ),
    )
    dropped = of_participant(events, dropout)
    assert [event.event_type for event in dropped] == ["ParticipantExited"]
    assert dropped[0].data["integrated"] is False
    assert dropped[0].data["destination"] == "dropout"
    assert await outbox_event_types(outcomes, dropout) == ["ParticipantExited"]


async def test_a_second_exit_is_a_conflict_and_publishes_nothing_more(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id)

    first = await outcomes.exit(participant_id, "therapy", YESTERDAY)
    second = await outcomes.exit(participant_id, "school", YESTERDAY)

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "exit_only_once"
    assert await outbox_event_types(outcomes, participant_id) == ["ParticipantExited", "IntegrationAchieved"]
    outcome = (await outcomes.outcome(participant_id)).json()
    assert outcome["exit"]["destination"] == "therapy"


async def test_two_exits_at_once_record_exactly_one(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id)

    responses = await asyncio.gather(
        outcomes.exit(participant_id, "employment", YESTERDAY),
        outcomes.exit(participant_id, "dropout", YESTERDAY),
    )

    assert sorted(response.status_code for response in responses) == [201, 409]
    assert len(await outcomes.fetch("SELECT * FROM exits")) == 1
    assert (await outbox_event_types(outcomes, participant_id))[0] == "ParticipantExited"
    assert len(await outcomes.fetch("SELECT * FROM outbox WHERE event_type = 'ParticipantExited'")) == 1


async def test_a_retried_exit_with_its_idempotency_key_gets_the_first_answer(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id)
    url = f"/v1/participants/{participant_id}/exit"
    body = {"destination": "apprenticeship", "exit_date": YESTERDAY.isoformat()}
    headers = {**CASEWORKER, "Idempotency-Key": str(uuid.uuid4())}

    first, retry = [await outcomes.client.post(url, json=body, headers=headers) for _ in range(2)]

    assert first.status_code == retry.status_code == 201, retry.text
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await outbox_event_types(outcomes, participant_id) == ["ParticipantExited", "IntegrationAchieved"]
