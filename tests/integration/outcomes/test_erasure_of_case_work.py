"""`ParticipantDataErased` on intake's topic (the real broker) removes the free text of case work:
notes deleted, goal and milestone texts blanked, aims, statuses, dates and assessments kept."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from tests.integration.outcomes.conftest import CASEWORKER, OutcomesUnderTest
from tests.integration.outcomes.plan_helpers import enrol
from tests.support.clock import service_today
from tests.support.service_app import eventually
from werkstattnetz_shared.events import EventEnvelope, ParticipantDataErased

pytestmark = pytest.mark.integration

ENROLLED_ON = dt.date(2025, 1, 6)
SECRET = "Erzählt von Schulden und Streit zu Hause"


def erased(participant_id: uuid.UUID) -> EventEnvelope:
    return EventEnvelope.wrap(
        ParticipantDataErased(erased_on=service_today()), producer="intake", participant_id=participant_id
    )


async def test_erasure_removes_notes_and_texts_and_keeps_coarse_facts(outcomes: OutcomesUnderTest) -> None:
    participant_id, bystander = uuid.uuid4(), uuid.uuid4()
    for someone in (participant_id, bystander):
        await enrol(outcomes, someone, ENROLLED_ON)
    goal_ids = {}
    for someone in (participant_id, bystander):
        goal = await outcomes.client.post(
            f"/v1/participants/{someone}/plan/goals",
            json={"aim": "motivation", "text": SECRET, "status": "in_progress"},
            headers={**CASEWORKER, "Idempotency-Key": f"goal-{someone}"},
        )
        assert goal.status_code == 201, goal.text
        goal_ids[someone] = goal.json()["goal_id"]
        milestone = await outcomes.client.post(
            f"/v1/participants/{someone}/plan/goals/{goal_ids[someone]}/milestones",
            json={"text": SECRET, "due_on": "2025-02-01"},
            headers=CASEWORKER,
        )
        assert milestone.status_code == 201, milestone.text
        for _ in range(2):
            note = await outcomes.client.post(
                f"/v1/participants/{someone}/plan/notes",
                json={"text": SECRET, "goal_id": goal_ids[someone]},
                headers={**CASEWORKER, "Idempotency-Key": str(uuid.uuid4())},
            )
            assert note.status_code == 201, note.text
        assessment = await outcomes.client.post(
            f"/v1/participants/{someone}/assessments",
            json={
                "kind": "entry",
                "assessed_on": ENROLLED_ON.isoformat(),
                "scores": [{"competence": "teamwork", "score": 2}],
            },
            headers=CASEWORKER,
        )
        assert assessment.status_code == 201, assessment.text

    await outcomes.publish_intake(erased(participant_id))
    await outcomes.publish_intake(erased(participant_id))  # a redelivery changes nothing more

    async def texts_gone() -> bool:
        plan = (
            await outcomes.client.get(f"/v1/participants/{participant_id}/plan", headers=CASEWORKER)
        ).json()
        return plan["erased_on"] is not None and plan["notes_total"] == 0

    await eventually(texts_gone, what="the case work texts to be erased")
    plan = (await outcomes.client.get(f"/v1/participants/{participant_id}/plan", headers=CASEWORKER)).json()
    assert plan["latest_notes"] == []
    [goal] = plan["goals"]
    assert (goal["aim"], goal["status"], goal["text"]) == ("motivation", "in_progress", None)
    assert [(m["text"], m["due_on"], m["status"]) for m in goal["milestones"]] == [
        (None, "2025-02-01", "open")
    ]

    # Row by row in the database: no copy of the text is left, not even in a stored answer.
    goals = await outcomes.fetch("SELECT text FROM plan_goals WHERE participant_id = $1", participant_id)
    milestones = await outcomes.fetch(
        "SELECT m.text FROM plan_milestones m JOIN plan_goals g USING (goal_id) WHERE g.participant_id = $1",
        participant_id,
    )
    notes = await outcomes.fetch(
        "SELECT note_id FROM progress_notes WHERE participant_id = $1", participant_id
    )
    assert ([g["text"] for g in goals], [m["text"] for m in milestones], notes) == ([None], [None], [])
    left = await outcomes.fetch(
        "SELECT (SELECT count(*) FROM plan_goals WHERE text = $1) + (SELECT count(*) FROM plan_milestones "
        "WHERE text = $1) + (SELECT count(*) FROM progress_notes WHERE text = $1) AS n",
        SECRET,
    )
    assert left[0]["n"] == 4  # the bystander's goal, milestone and two notes
    answers = await outcomes.fetch("SELECT response FROM idempotency_keys")
    assert all(str(participant_id) not in json.dumps(row["response"]) for row in answers)
    assert any(str(bystander) in json.dumps(row["response"]) for row in answers)
    scores = await outcomes.fetch(
        "SELECT count(*) AS n FROM competence_assessments WHERE participant_id = $1", participant_id
    )
    assert scores[0]["n"] == 1
    inbox = await outcomes.fetch("SELECT count(*) AS n FROM inbox")
    assert inbox[0]["n"] >= 3  # two enrolments and the erasure, each once

    # The bystander's case work is untouched.
    other = (await outcomes.client.get(f"/v1/participants/{bystander}/plan", headers=CASEWORKER)).json()
    assert other["goals"][0]["text"] == SECRET
    assert other["notes_total"] == 2

    # No new text about the erased person; status changes still work.
    note = await outcomes.client.post(
        f"/v1/participants/{participant_id}/plan/notes", json={"text": "neu"}, headers=CASEWORKER
    )
    assert (note.status_code, note.json()["error"]["code"]) == (409, "participant_data_erased")
    achieved = await outcomes.client.patch(
        f"/v1/participants/{participant_id}/plan/goals/{goal['goal_id']}",
        json={"status": "achieved"},
        headers=CASEWORKER,
    )
    assert (achieved.status_code, achieved.json()["text"]) == (200, None)


async def test_an_erasure_heard_before_the_enrolment_still_holds(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await outcomes.publish_intake(erased(participant_id))

    async def remembered() -> bool:
        rows = await outcomes.fetch(
            "SELECT 1 FROM case_work_erasures WHERE participant_id = $1", participant_id
        )
        return bool(rows)

    await eventually(remembered, what="the erasure to be remembered")
    await enrol(outcomes, participant_id, ENROLLED_ON)
    goal = await outcomes.client.post(
        f"/v1/participants/{participant_id}/plan/goals",
        json={"aim": "placement", "text": "x"},
        headers=CASEWORKER,
    )
    assert (goal.status_code, goal.json()["error"]["code"]) == (409, "participant_data_erased")
