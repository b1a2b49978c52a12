"""Placement's newer news reaches outcomes right: a transfer into another area (PlacementEnded
transferred + ParticipantPlaced transfer), a placement ended by hand and one by a caseworker later,
an accepted offer; and a transfer heard after the stay's exit sticks to no later stay."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.outcomes.conftest import OutcomesUnderTest, enrolled, placement_event
from tests.integration.outcomes.test_re_entry import wait_handled
from tests.support.service_app import eventually
from werkstattnetz_shared.events import (
    EventEnvelope,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
)
from werkstattnetz_shared.events.vocabulary import Funder, PlacementEndReason, PlacementKind, WorkArea

pytestmark = pytest.mark.integration

ENROLLED_ON = dt.date(2025, 1, 6)
MOVED_ON = dt.date(2025, 2, 3)
WORKSHOP = uuid.uuid4()


def transfer(participant_id: uuid.UUID, to: WorkArea, on: dt.date) -> list[EventEnvelope]:
    return [
        placement_event(
            participant_id,
            PlacementEnded(
                work_area=WorkArea.CARE,
                ended_on=on,
                reason=PlacementEndReason.TRANSFERRED,
                workshop_id=WORKSHOP,
            ),
        ),
        placement_event(
            participant_id,
            ParticipantPlaced(
                work_area=to,
                placed_on=on,
                from_waitlist=False,
                workshop_id=uuid.uuid4(),
                kind=PlacementKind.TRANSFER,
            ),
        ),
    ]


async def test_a_transfer_into_another_area_moves_the_stay_and_its_exit_names_the_new_area(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id, enrolled_on=ENROLLED_ON)
    for event in transfer(participant_id, WorkArea.GARDEN_LANDSCAPE, MOVED_ON):
        await outcomes.publish_placement(event)
    await eventually_in(outcomes, participant_id, WorkArea.GARDEN_LANDSCAPE)

    exit_ = await outcomes.exit(participant_id, "employment", dt.date(2025, 3, 3))
    assert exit_.status_code == 201, exit_.text
    outcome = (await outcomes.outcome(participant_id)).json()
    assert (outcome["status"], outcome["exit"]["work_area"], outcome["stay"]) == (
        "exited",
        "garden_landscape",
        1,
    )


async def test_a_placement_ended_by_hand_and_a_new_one_by_a_caseworker_stay_in_the_same_stay(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id, enrolled_on=ENROLLED_ON)
    ended = placement_event(
        participant_id,
        PlacementEnded(work_area=WorkArea.CARE, ended_on=MOVED_ON, reason=PlacementEndReason.DROPOUT),
    )
    await outcomes.publish_placement(ended)
    await outcomes.wait_for_status(participant_id, "placement_ended")
    again = placement_event(
        participant_id,
        ParticipantPlaced(
            work_area=WorkArea.BIKE_METAL,
            placed_on=MOVED_ON,
            from_waitlist=False,
            kind=PlacementKind.BY_CASEWORKER,
        ),
    )
    await outcomes.publish_placement(again)
    placed = await outcomes.wait_for_status(participant_id, "placed")
    assert (placed["work_area"], placed["stay"]) == ("bike_metal", 1)


async def test_an_accepted_offer_places_the_person_who_waited(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    enrolment = enrolled(participant_id, Funder.CITY, ENROLLED_ON)
    await outcomes.publish_intake(enrolment)
    await outcomes.publish_placement(
        placement_event(participant_id, ParticipantWaitlisted(work_area=WorkArea.CARE, position=1), enrolment)
    )
    await outcomes.wait_for_status(participant_id, "waitlisted")
    accepted = ParticipantPlaced(
        work_area=WorkArea.CARE,
        placed_on=MOVED_ON,
        from_waitlist=True,
        workshop_id=WORKSHOP,
        kind=PlacementKind.OFFER_ACCEPTED,
        offer_id=uuid.uuid4(),
    )
    await outcomes.publish_placement(placement_event(participant_id, accepted))
    placed = await outcomes.wait_for_status(participant_id, "placed")
    assert (placed["work_area"], placed["waitlisted_for"]) == ("care", None)


async def test_a_transfer_heard_after_the_exit_changes_nothing_and_not_the_next_stay(
    outcomes: OutcomesUnderTest,
) -> None:
    """Placement moved the person before it heard of the exit; outcomes had recorded the exit."""
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id, enrolled_on=ENROLLED_ON)
    assert (await outcomes.exit(participant_id, "school", MOVED_ON)).status_code == 201
    late = transfer(participant_id, WorkArea.BIKE_METAL, MOVED_ON)
    for event in late:
        await outcomes.publish_placement(event)
    await wait_handled(outcomes, *late)
    exited = (await outcomes.outcome(participant_id)).json()
    assert (exited["status"], exited["exit"]["work_area"]) == ("exited", "care")

    second = enrolled(participant_id, Funder.CITY, dt.date(2025, 5, 5), re_entry=True)
    await outcomes.publish_intake(second)
    back = await outcomes.wait_for_status(participant_id, "enrolled")
    assert (back["stay"], back["work_area"]) == (2, None)  # the late transfer did not land here


async def eventually_in(outcomes: OutcomesUnderTest, participant_id: uuid.UUID, area: WorkArea) -> None:
    async def placed_there() -> bool:
        response = await outcomes.outcome(participant_id)
        return response.status_code == 200 and response.json()["work_area"] == area.value

    await eventually(placed_there, what=f"{participant_id} placed in {area.value}")
