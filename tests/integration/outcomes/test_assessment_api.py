"""Competence assessments through the API: recording them, their rules, and the progress shown."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import pytest

from tests.integration.outcomes.conftest import CASEWORKER, OutcomesUnderTest
from tests.integration.outcomes.plan_helpers import enrol
from tests.support.clock import service_today
from tests.support.tokens import auth_header

pytestmark = pytest.mark.integration

ENROLLED_ON = dt.date(2025, 1, 6)
TODAY = service_today()


def assessments_url(participant_id: uuid.UUID) -> str:
    return f"/v1/participants/{participant_id}/assessments"


def body(kind: str, assessed_on: dt.date, **scores: int) -> dict[str, Any]:
    return {
        "kind": kind,
        "assessed_on": assessed_on.isoformat(),
        "scores": [{"competence": name, "score": score} for name, score in scores.items()],
    }


async def assess(
    outcomes: OutcomesUnderTest, participant_id: uuid.UUID, request: dict[str, Any]
) -> dict[str, Any]:
    response = await outcomes.client.post(
        assessments_url(participant_id), json=request, headers=auth_header("caseworker", subject="jana")
    )
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def test_progress_between_entry_periodic_and_exit_assessments(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)

    entry = await assess(outcomes, participant_id, body("entry", ENROLLED_ON, reliability=2, teamwork=3))
    assert entry["assessor"] == "jana"
    assert entry["scores"] == [
        {"competence": "reliability", "score": 2, "change": None},
        {"competence": "teamwork", "score": 3, "change": None},
    ]
    periodic = await assess(
        outcomes, participant_id, body("periodic", ENROLLED_ON + dt.timedelta(days=60), reliability=4)
    )
    assert periodic["scores"] == [{"competence": "reliability", "score": 4, "change": 2}]
    await assess(
        outcomes,
        participant_id,
        body("exit", ENROLLED_ON + dt.timedelta(days=180), reliability=5, teamwork=2),
    )

    listed = (await outcomes.client.get(assessments_url(participant_id), headers=CASEWORKER)).json()
    assert [a["kind"] for a in listed["assessments"]] == ["entry", "periodic", "exit"]
    assert listed["assessments"][2]["scores"] == [
        {"competence": "reliability", "score": 5, "change": 1},
        {"competence": "teamwork", "score": 2, "change": -1},
    ]
    assert listed["total"] == 3
    page = (
        await outcomes.client.get(assessments_url(participant_id) + "?limit=1&offset=1", headers=CASEWORKER)
    ).json()
    assert [a["kind"] for a in page["assessments"]] == ["periodic"]

    progress = await outcomes.client.get(
        f"/v1/participants/{participant_id}/competence-progress", headers=CASEWORKER
    )
    assert progress.status_code == 200, progress.text
    answer = progress.json()
    assert answer["scale"] == {"min": 1, "max": 5}
    assert answer["assessments"] == 3
    by_name = {line["competence"]: line for line in answer["competences"]}
    assert list(by_name) == [
        "reliability",
        "punctuality",
        "teamwork",
        "initiative",
        "quality_of_work",
        "communication",
    ]
    assert by_name["reliability"]["first"] == {
        "score": 2,
        "assessed_on": ENROLLED_ON.isoformat(),
        "kind": "entry",
    }
    assert by_name["reliability"]["latest"]["score"] == 5
    assert (by_name["reliability"]["change"], by_name["reliability"]["times_assessed"]) == (3, 3)
    assert by_name["teamwork"]["change"] == -1
    assert by_name["punctuality"] == {
        "competence": "punctuality",
        "first": None,
        "latest": None,
        "change": None,
        "times_assessed": 0,
    }


async def test_refusals_name_the_competence_and_the_rule(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)

    async def refused(request: dict[str, Any]) -> tuple[int, str, list[tuple[str, str]], str]:
        response = await outcomes.client.post(
            assessments_url(participant_id), json=request, headers=CASEWORKER
        )
        error = response.json()["error"]
        return (
            response.status_code,
            error["code"],
            [(d["field"], d["rule"]) for d in error["details"]],
            error["message"],
        )

    status, code, details, message = await refused(body("entry", ENROLLED_ON, reliability=2, juggling=3))
    assert (status, code, details) == (422, "competence_must_be_configured", [("scores.1.competence", code)])
    assert "'juggling'" in message
    twice = {
        "kind": "entry",
        "assessed_on": ENROLLED_ON.isoformat(),
        "scores": [{"competence": "teamwork", "score": 2}, {"competence": "teamwork", "score": 3}],
    }
    assert (await refused(twice))[:3] == (
        422,
        "competence_scored_once",
        [("scores.1.competence", "competence_scored_once")],
    )
    out_of_scale = body("entry", ENROLLED_ON, reliability=6)
    assert (await refused(out_of_scale))[2] == [("scores.0.score", "less_than_equal")]
    as_text = {**body("entry", ENROLLED_ON), "scores": [{"competence": "reliability", "score": "3"}]}
    assert (await refused(as_text))[2] == [("scores.0.score", "int_type")]
    assert (await refused({**body("entry", ENROLLED_ON), "scores": []}))[2] == [("scores", "too_short")]
    future = body("periodic", TODAY + dt.timedelta(days=1), reliability=3)
    assert (await refused(future))[:3] == (
        422,
        "assessed_on_within_stay",
        [("assessed_on", "assessed_on_within_stay")],
    )

    await assess(outcomes, participant_id, body("entry", ENROLLED_ON, reliability=2))
    again = await refused(body("entry", ENROLLED_ON + dt.timedelta(days=1), reliability=3))
    assert again[:3] == (
        409,
        "entry_and_exit_assessed_once_per_stay",
        [("kind", "entry_and_exit_assessed_once_per_stay")],
    )
    before_entry = body("periodic", ENROLLED_ON, reliability=3)
    assert (await assess(outcomes, participant_id, before_entry))["kind"] == "periodic"  # same day is fine
    rows = await outcomes.fetch(
        "SELECT count(*) AS n FROM competence_assessments WHERE participant_id = $1", participant_id
    )
    assert rows[0]["n"] == 2


async def test_racing_exit_assessments_record_one(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)

    answers = await asyncio.gather(
        *(
            outcomes.client.post(
                assessments_url(participant_id),
                json=body("exit", ENROLLED_ON + dt.timedelta(days=day), reliability=3),
                headers=CASEWORKER,
            )
            for day in range(10)
        )
    )

    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 9
    rows = await outcomes.fetch(
        "SELECT count(*) AS n FROM competence_assessments WHERE participant_id = $1 AND kind = 'exit'",
        participant_id,
    )
    assert rows[0]["n"] == 1


async def test_an_exit_assessment_may_be_recorded_after_the_exit_dated_within_the_stay(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)
    exit_date = TODAY - dt.timedelta(days=10)
    assert (await outcomes.exit(participant_id, "employment", exit_date)).status_code == 201

    late = await outcomes.client.post(
        assessments_url(participant_id),
        json=body("exit", exit_date + dt.timedelta(days=1), reliability=4),
        headers=CASEWORKER,
    )
    assert (late.status_code, late.json()["error"]["code"]) == (422, "assessed_on_within_stay")
    assert (await assess(outcomes, participant_id, body("exit", exit_date, reliability=4)))["kind"] == "exit"


async def test_unknown_participants_stays_and_other_roles(outcomes: OutcomesUnderTest) -> None:
    unknown = uuid.uuid4()
    response = await outcomes.client.post(
        assessments_url(unknown), json=body("entry", ENROLLED_ON, reliability=2), headers=CASEWORKER
    )
    assert response.status_code == 404
    assert (
        await outcomes.client.get(f"/v1/participants/{unknown}/competence-progress", headers=CASEWORKER)
    ).status_code == 404
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)
    assert (
        await outcomes.client.get(assessments_url(participant_id) + "?stay=2", headers=CASEWORKER)
    ).status_code == 404
    assert (
        await outcomes.client.get(assessments_url(participant_id), headers=auth_header("reporting"))
    ).status_code == 403
    assert (
        await outcomes.client.get(assessments_url(participant_id), headers=auth_header("manager"))
    ).status_code == 200
