"""Outcomes' state follows the events' own moments, not their arrival, over the real broker.

Both orders of the same facts end in the same state: a placement published before or after the
exit it preceded fills in the exit's work area (and the by-area report counts it there); a
waitlisting replayed after the placement that ended it never turns the person back into waiting.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.outcomes.conftest import OutcomesUnderTest, enrolled, placed, placement_event
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
from werkstattnetz_shared.events import EventEnvelope, ParticipantPlaced, ParticipantWaitlisted
from werkstattnetz_shared.events.vocabulary import Funder, PlacementKind, WorkArea

pytestmark = pytest.mark.integration

ENROLLED_ON = dt.date(2026, 3, 2)
EXIT_DAY = dt.date(2026, 9, 30)


async def handled(outcomes: OutcomesUnderTest, *envelopes: EventEnvelope) -> None:
    ids = [envelope.event_id for envelope in envelopes]

    async def all_in_inbox() -> bool:
        rows = await outcomes.fetch("SELECT event_id FROM inbox WHERE event_id = ANY($1::uuid[])", ids)
        return len(rows) == len(ids)

    await eventually(all_in_inbox, what="the events to be handled")


async def care_exits(outcomes: OutcomesUnderTest) -> dict[str, int]:
    report = (await outcomes.client.get("/v1/reports/integration", headers=auth_header("manager"))).json()
    return {area: line["exits"] for area, line in report["by_work_area"].items() if line["exits"]}


@pytest.mark.parametrize("placement_first", [True, False], ids=["placed-then-exit", "exit-then-placed"])
async def test_the_exit_is_filed_under_the_area_of_a_placement_made_before_it_in_either_order(
    outcomes: OutcomesUnderTest, placement_first: bool
) -> None:
    participant_id = uuid.uuid4()
    enrolment = enrolled(participant_id, Funder.JOBCENTER, ENROLLED_ON)
    await outcomes.publish_intake(enrolment)
    await outcomes.wait_for_status(participant_id, "enrolled")
    placement = placed(participant_id, WorkArea.CARE, ENROLLED_ON, on_enrolment=enrolment)  # happens now
    if placement_first:
        await outcomes.publish_placement(placement)
        await outcomes.wait_for_status(participant_id, "placed")
    assert (await outcomes.exit(participant_id, "employment", EXIT_DAY)).status_code == 201
    if not placement_first:
        await outcomes.publish_placement(placement)  # consumed after the exit was recorded
        await handled(outcomes, placement)

    outcome = (await outcomes.outcome(participant_id)).json()
    assert (outcome["status"], outcome["exit"]["work_area"], outcome["work_area"]) == (
        "exited",
        "care",
        "care",
    )
    [row] = await outcomes.fetch("SELECT work_area FROM exits WHERE participant_id = $1", participant_id)
    assert row["work_area"] == "care"
    assert await care_exits(outcomes) == {"care": 1}


@pytest.mark.parametrize("replay_last", [True, False], ids=["stale-waitlisting-last", "in-order"])
async def test_a_stale_waitlisting_never_turns_a_placed_person_back_into_waiting(
    outcomes: OutcomesUnderTest, replay_last: bool
) -> None:
    participant_id = uuid.uuid4()
    enrolment = enrolled(participant_id, Funder.CITY, ENROLLED_ON)
    await outcomes.publish_intake(enrolment)
    await outcomes.wait_for_status(participant_id, "enrolled")
    waitlisted = placement_event(
        participant_id, ParticipantWaitlisted(work_area=WorkArea.CARE, position=1), enrolment
    )
    accepted = placement_event(
        participant_id,
        ParticipantPlaced(
            work_area=WorkArea.CARE,
            placed_on=ENROLLED_ON,
            from_waitlist=True,
            kind=PlacementKind.OFFER_ACCEPTED,
            offer_id=uuid.uuid4(),
        ),
    )
    assert waitlisted.occurred_at < accepted.occurred_at
    # A waitlisting that failed at first and is re-published from the dead-letter topic arrives
    # after the placement it preceded; in order it arrives first.
    for event in (accepted, waitlisted) if replay_last else (waitlisted, accepted):
        await outcomes.publish_placement(event)
    await handled(outcomes, waitlisted, accepted)
    outcome = (await outcomes.outcome(participant_id)).json()
    assert (outcome["status"], outcome["work_area"], outcome["waitlisted_for"]) == ("placed", "care", None)
