"""Development plans through the API: goals, milestones and notes of a stay, their rules and roles."""

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
JANA = auth_header("caseworker", subject="jana")


def plan_url(participant_id: uuid.UUID, tail: str = "") -> str:
    return f"/v1/participants/{participant_id}/plan{tail}"


async def add_goal(
    outcomes: OutcomesUnderTest, participant_id: uuid.UUID, aim: str = "motivation", **extra: Any
) -> dict[str, Any]:
    response = await outcomes.client.post(
        plan_url(participant_id, "/goals"),
        json={"aim": aim, "text": "Kommt pünktlich zum Werkstattbeginn", **extra},
        headers=CASEWORKER,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_plan_with_goals_along_the_three_aims_milestones_and_notes(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)

    empty = await outcomes.client.get(plan_url(participant_id), headers=CASEWORKER)
    assert empty.status_code == 200, empty.text
    assert empty.json() == {
        "participant_id": str(participant_id),
        "stay": 1,
        "stay_open": True,
        "erased_on": None,
        "goals": [],
        "latest_notes": [],
        "notes_total": 0,
    }

    motivation = await add_goal(outcomes, participant_id, "motivation")
    assert motivation["status"] == "open"
    assert motivation["stay"] == 1
    orientation = await add_goal(outcomes, participant_id, "orientation", status="in_progress")
    await add_goal(outcomes, participant_id, "placement")

    milestone = await outcomes.client.post(
        plan_url(participant_id, f"/goals/{motivation['goal_id']}/milestones"),
        json={
            "text": "  Eine Woche ohne Fehlzeit ",
            "due_on": (ENROLLED_ON + dt.timedelta(days=30)).isoformat(),
        },
        headers=CASEWORKER,
    )
    assert milestone.status_code == 201, milestone.text
    assert milestone.json()["text"] == "Eine Woche ohne Fehlzeit"
    done = await outcomes.client.patch(
        plan_url(
            participant_id, f"/goals/{motivation['goal_id']}/milestones/{milestone.json()['milestone_id']}"
        ),
        json={"status": "done"},
        headers=CASEWORKER,
    )
    assert done.status_code == 200, done.text
    achieved = await outcomes.client.patch(
        plan_url(participant_id, f"/goals/{motivation['goal_id']}"),
        json={"status": "achieved"},
        headers=CASEWORKER,
    )
    assert achieved.status_code == 200, achieved.text
    assert achieved.json()["milestones"][0]["status"] == "done"

    note = await outcomes.client.post(
        plan_url(participant_id, "/notes"),
        json={"text": "Schnupperpraktikum im Garten vereinbart.", "goal_id": orientation["goal_id"]},
        headers=JANA,
    )
    assert note.status_code == 201, note.text
    assert note.json()["author"] == "jana"
    assert note.json()["written_on"] == TODAY.isoformat()

    plan = (await outcomes.client.get(plan_url(participant_id), headers=CASEWORKER)).json()
    assert [(goal["aim"], goal["status"]) for goal in plan["goals"]] == [
        ("motivation", "achieved"),
        ("orientation", "in_progress"),
        ("placement", "open"),
    ]
    assert plan["goals"][0]["milestones"][0]["text"] == "Eine Woche ohne Fehlzeit"
    assert [n["text"] for n in plan["latest_notes"]] == ["Schnupperpraktikum im Garten vereinbart."]
    assert plan["notes_total"] == 1

    # Case work is internal: nothing of it goes into the outbox, so nothing is published.
    outbox = await outcomes.fetch("SELECT count(*) AS n FROM outbox")
    assert outbox[0]["n"] == 0


async def test_notes_are_listed_newest_first_page_by_page_and_by_goal(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)
    goal = await add_goal(outcomes, participant_id)
    for day in range(5):
        response = await outcomes.client.post(
            plan_url(participant_id, "/notes"),
            json={
                "text": f"Notiz {day}",
                "written_on": (ENROLLED_ON + dt.timedelta(days=day)).isoformat(),
                **({"goal_id": goal["goal_id"]} if day % 2 == 0 else {}),
            },
            headers=CASEWORKER,
        )
        assert response.status_code == 201, response.text

    first = (await outcomes.client.get(plan_url(participant_id, "/notes?limit=2"), headers=CASEWORKER)).json()
    second = (
        await outcomes.client.get(plan_url(participant_id, "/notes?limit=2&offset=2"), headers=CASEWORKER)
    ).json()
    assert [n["text"] for n in first["notes"]] == ["Notiz 4", "Notiz 3"]
    assert [n["text"] for n in second["notes"]] == ["Notiz 2", "Notiz 1"]
    assert first["total"] == 5
    of_goal = await outcomes.client.get(
        plan_url(participant_id, f"/notes?goal_id={goal['goal_id']}"), headers=CASEWORKER
    )
    assert [n["text"] for n in of_goal.json()["notes"]] == ["Notiz 4", "Notiz 2", "Notiz 0"]
    beyond = (
        await outcomes.client.get(plan_url(participant_id, "/notes?offset=10"), headers=CASEWORKER)
    ).json()
    assert (beyond["notes"], beyond["total"]) == ([], 5)


async def test_rules_are_refused_naming_field_and_rule(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)
    goal = await add_goal(outcomes, participant_id)
    goal_url = plan_url(participant_id, f"/goals/{goal['goal_id']}")

    async def refused(method: str, url: str, body: dict[str, Any]) -> tuple[int, str, list[tuple[str, str]]]:
        response = await outcomes.client.request(method, url, json=body, headers=CASEWORKER)
        error = response.json()["error"]
        return response.status_code, error["code"], [(d["field"], d["rule"]) for d in error["details"]]

    too_early = (ENROLLED_ON - dt.timedelta(days=1)).isoformat()
    assert await refused("POST", goal_url + "/milestones", {"text": "x", "due_on": too_early}) == (
        422,
        "due_on_within_stay_horizon",
        [("due_on", "due_on_within_stay_horizon")],
    )
    milestone = await outcomes.client.post(
        goal_url + "/milestones", json={"text": "x", "due_on": TODAY.isoformat()}, headers=CASEWORKER
    )
    milestone_url = goal_url + f"/milestones/{milestone.json()['milestone_id']}"
    assert (await refused("PATCH", milestone_url, {"status": "missed"}))[
        1
    ] == "milestone_missed_only_after_due_date"
    assert await refused(
        "POST", plan_url(participant_id, "/notes"), {"text": "x", "written_on": too_early}
    ) == (
        422,
        "written_on_within_stay",
        [("written_on", "written_on_within_stay")],
    )
    other_goal = str(uuid.uuid4())
    assert await refused(
        "POST", plan_url(participant_id, "/notes"), {"text": "x", "goal_id": other_goal}
    ) == (
        422,
        "goal_must_be_in_plan",
        [("goal_id", "goal_must_be_in_plan")],
    )
    assert (await refused("POST", goal_url + "/milestones", {"text": "   ", "due_on": TODAY.isoformat()}))[
        2
    ] == [("text", "string_too_short")]
    assert (await refused("POST", plan_url(participant_id, "/goals"), {"aim": "fun", "text": "x"}))[2] == [
        ("aim", "enum")
    ]

    assert (
        await outcomes.client.patch(goal_url, json={"status": "dropped"}, headers=CASEWORKER)
    ).status_code == 200
    assert await refused("PATCH", goal_url, {"status": "in_progress"}) == (
        422,
        "goal_status_transition_allowed",
        [("status", "goal_status_transition_allowed")],
    )
    assert (await refused("POST", goal_url + "/milestones", {"text": "x", "due_on": TODAY.isoformat()}))[
        :2
    ] == (
        409,
        "goal_must_be_active",
    )
    unknown_goal = plan_url(participant_id, f"/goals/{uuid.uuid4()}")
    assert (await refused("PATCH", unknown_goal, {"status": "achieved"}))[:2] == (404, "goal_must_be_known")
    assert (await refused("PATCH", goal_url + f"/milestones/{uuid.uuid4()}", {"status": "done"}))[:2] == (
        404,
        "milestone_must_be_known",
    )
    # Nothing half-written: the refused requests left the plan as it was.
    plan = (await outcomes.client.get(plan_url(participant_id), headers=CASEWORKER)).json()
    assert [(g["status"], len(g["milestones"])) for g in plan["goals"]] == [("dropped", 1)]
    assert plan["notes_total"] == 0


async def test_an_unknown_participant_or_stay_is_a_404_and_other_roles_a_403(
    outcomes: OutcomesUnderTest,
) -> None:
    unknown = uuid.uuid4()
    assert (await outcomes.client.get(plan_url(unknown), headers=CASEWORKER)).status_code == 404
    response = await outcomes.client.post(
        plan_url(unknown, "/goals"), json={"aim": "placement", "text": "x"}, headers=CASEWORKER
    )
    assert (response.status_code, response.json()["error"]["code"]) == (404, "participant_must_be_enrolled")
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)
    assert (
        await outcomes.client.get(plan_url(participant_id) + "?stay=2", headers=CASEWORKER)
    ).status_code == 404
    for role in ("reporting", "intake", "workshop_lead"):
        response = await outcomes.client.get(plan_url(participant_id), headers=auth_header(role))
        assert response.status_code == 403, role
    assert (
        await outcomes.client.get(plan_url(participant_id), headers=auth_header("manager"))
    ).status_code == 200


async def test_after_the_exit_the_plan_is_closed_and_the_next_stay_starts_a_new_one(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)
    goal = await add_goal(outcomes, participant_id, "placement")
    exited = await outcomes.exit(participant_id, "apprenticeship", TODAY - dt.timedelta(days=1))
    assert exited.status_code == 201, exited.text

    for method, url, body in [
        ("POST", plan_url(participant_id, "/goals"), {"aim": "placement", "text": "x"}),
        ("PATCH", plan_url(participant_id, f"/goals/{goal['goal_id']}"), {"status": "achieved"}),
        ("POST", plan_url(participant_id, "/notes"), {"text": "x"}),
    ]:
        response = await outcomes.client.request(method, url, json=body, headers=CASEWORKER)
        assert (response.status_code, response.json()["error"]["code"]) == (409, "stay_must_be_open"), url
    closed = (await outcomes.client.get(plan_url(participant_id), headers=CASEWORKER)).json()
    assert closed["stay_open"] is False
    assert [g["status"] for g in closed["goals"]] == ["open"]

    await enrol(outcomes, participant_id, TODAY, stay=2)
    await add_goal(outcomes, participant_id, "orientation")
    second = (await outcomes.client.get(plan_url(participant_id), headers=CASEWORKER)).json()
    assert (second["stay"], [g["aim"] for g in second["goals"]]) == (2, ["orientation"])
    first = (await outcomes.client.get(plan_url(participant_id) + "?stay=1", headers=CASEWORKER)).json()
    assert (first["stay"], [g["aim"] for g in first["goals"]]) == (1, ["placement"])


async def test_a_goal_sent_twice_with_one_idempotency_key_is_created_once(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await enrol(outcomes, participant_id, ENROLLED_ON)
    headers = {**CASEWORKER, "Idempotency-Key": str(uuid.uuid4())}
    body = {"aim": "orientation", "text": "Zwei Werkstätten ausprobieren"}

    answers = await asyncio.gather(
        *(
            outcomes.client.post(plan_url(participant_id, "/goals"), json=body, headers=headers)
            for _ in range(3)
        )
    )

    assert sorted(a.status_code for a in answers) == [201, 201, 201]
    assert len({a.json()["goal_id"] for a in answers}) == 1
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true", "true"]
    rows = await outcomes.fetch(
        "SELECT count(*) AS n FROM plan_goals WHERE participant_id = $1", participant_id
    )
    assert rows[0]["n"] == 1
