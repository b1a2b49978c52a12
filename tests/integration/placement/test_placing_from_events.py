"""Enrolments and exits arriving on Kafka place, waitlist, free seats and offer them to the next in
line (real Kafka + PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.placement.conftest import ENROLLED_ON, PlacementUnderTest, enrolled, exited
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

CARE = WorkArea.CARE
BIKE = WorkArea.BIKE_METAL
EXIT_DATE = dt.date(2026, 11, 24)


def of_participant(events: list[EventEnvelope], enrolment: EventEnvelope) -> list[EventEnvelope]:
    """One participant's events in order (the topic keeps order per participant, not across)."""
    return [event for event in events if event.participant_id == enrolment.participant_id]


async def test_with_one_care_seat_the_first_is_placed_and_the_second_waits(
    placement: PlacementUnderTest,
) -> None:
    first, second = enrolled(CARE, BIKE), enrolled(CARE)
    await placement.enrol(first)
    await placement.wait_for_status(first.participant_id, "placed")
    await placement.enrol(second)
    waiting = await placement.wait_for_status(second.participant_id, "waitlisted")

    events = await placement.published(until=lambda events: len(events) >= 2)
    [placed] = of_participant(events, first)
    [waitlisted] = of_participant(events, second)
    assert (placed.event_type, placed.participant_id) == ("ParticipantPlaced", first.participant_id)
    care_workshop = await placement.workshop_id(CARE)
    assert placed.data == {
        "work_area": "care",
        "placed_on": ENROLLED_ON.isoformat(),
        "from_waitlist": False,
        "workshop_id": str(care_workshop),
        "kind": "on_enrolment",
        "offer_id": None,
        "workshop_lead": None,
    }
    assert (placed.correlation_id, placed.causation_id) == (first.correlation_id, first.event_id)
    assert placed.producer == "placement"
    assert (waitlisted.event_type, waitlisted.participant_id) == (
        "ParticipantWaitlisted",
        second.participant_id,
    )
    assert waitlisted.data == {"work_area": "care", "position": 1}
    assert waitlisted.causation_id == second.event_id

    workshop = await placement.workshop(CARE)
    assert (workshop["seats"], workshop["placed"], workshop["free_seats"], workshop["waitlist_length"]) == (
        1,
        1,
        0,
        1,
    )
    seated = await placement.placement_of(first.participant_id)
    assert seated is not None
    assert (seated["work_area"], seated["workshop_id"], seated["placed_on"], seated["waitlist_position"]) == (
        "care",
        str(care_workshop),
        ENROLLED_ON.isoformat(),
        None,
    )
    assert seated["funders"] == ["jobcenter"]
    assert (waiting["work_area"], waiting["waitlist_position"], waiting["placed_on"]) == ("care", 1, None)


async def test_an_exit_frees_the_seat_and_offers_it_to_the_first_person_waiting(
    placement: PlacementUnderTest,
) -> None:
    seated, first_waiting, second_waiting = enrolled(CARE), enrolled(CARE), enrolled(CARE)
    await placement.enrol(seated)
    await placement.wait_for_status(seated.participant_id, "placed")
    for envelope in (first_waiting, second_waiting):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, "waitlisted")

    exit_event = exited(seated.participant_id, EXIT_DATE)
    await placement.exit(exit_event)
    offer = await placement.wait_for_offer(first_waiting.participant_id)

    events = await placement.published(until=lambda events: len(events) >= 5)
    [_, ended] = of_participant(events, seated)
    [_, offered] = of_participant(events, first_waiting)
    care_workshop = str(await placement.workshop_id(CARE))
    assert (ended.event_type, ended.participant_id) == ("PlacementEnded", seated.participant_id)
    assert ended.data == {
        "work_area": "care",
        "ended_on": EXIT_DATE.isoformat(),
        "reason": "exited",
        "workshop_id": care_workshop,
    }
    assert (offered.event_type, offered.participant_id) == ("PlacementOffered", first_waiting.participant_id)
    assert offered.data["offer_id"] == offer["offer_id"]
    assert (offered.data["workshop_id"], offered.data["work_area"]) == (care_workshop, "care")
    for event in (ended, offered):
        assert (event.correlation_id, event.causation_id) == (exit_event.correlation_id, exit_event.event_id)

    # Not placed until staff accept: the seat is held meanwhile.
    holding = await placement.placement_of(first_waiting.participant_id)
    assert holding is not None
    assert (holding["status"], holding["waitlist_position"]) == ("waitlisted", 1)
    assert holding["open_offer"]["offer_id"] == offer["offer_id"]
    workshop = await placement.workshop(CARE)
    assert (workshop["placed"], workshop["open_offers"], workshop["free_seats"]) == (0, 1, 0)

    accepted = await placement.accept(offer["offer_id"])
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["answered_by"]) == ("accepted", "test-staff")
    now_placed = await placement.wait_for_status(first_waiting.participant_id, "placed")
    assert (now_placed["from_waitlist"], now_placed["workshop_id"]) == (True, care_workshop)
    left = await placement.placement_of(seated.participant_id)
    assert left is not None
    assert (left["status"], left["ended_on"]) == ("ended", EXIT_DATE.isoformat())
    still_waiting = await placement.placement_of(second_waiting.participant_id)
    assert still_waiting is not None
    assert (still_waiting["status"], still_waiting["waitlist_position"]) == ("waitlisted", 1)
    workshop = await placement.workshop(CARE)
    assert (workshop["placed"], workshop["open_offers"], workshop["waitlist_length"]) == (1, 0, 1)
    [placed_by_offer] = [
        e for e in await placement.outbox_events("ParticipantPlaced") if e.data["kind"] == "offer_accepted"
    ]
    assert (placed_by_offer.participant_id, placed_by_offer.data["offer_id"]) == (
        first_waiting.participant_id,
        offer["offer_id"],
    )


async def test_a_person_waiting_who_exits_leaves_the_waitlist(placement: PlacementUnderTest) -> None:
    seated, leaves, stays = enrolled(CARE), enrolled(CARE), enrolled(CARE)
    await placement.enrol(seated)
    await placement.wait_for_status(seated.participant_id, "placed")
    for envelope in (leaves, stays):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, "waitlisted")

    await placement.exit(exited(leaves.participant_id, EXIT_DATE))
    left = await placement.wait_for_status(leaves.participant_id, "left_waitlist")

    assert (left["waitlist_position"], left["exited_on"]) == (None, EXIT_DATE.isoformat())
    moved_up = await placement.placement_of(stays.participant_id)
    assert moved_up is not None
    assert moved_up["waitlist_position"] == 1
    workshop = await placement.workshop(CARE)
    assert (workshop["occupied"], workshop["waitlist_length"]) == (1, 1)
    published = await placement.all_published()
    assert sorted(event.event_type for event in published) == [
        "ParticipantPlaced",
        "ParticipantWaitlisted",
        "ParticipantWaitlisted",
    ]


async def test_an_exit_that_overtakes_the_enrolment_keeps_the_person_from_taking_a_seat(
    placement: PlacementUnderTest,
) -> None:
    late = enrolled(CARE)
    await placement.exit(exited(late.participant_id, EXIT_DATE))
    await placement.wait_for_status(late.participant_id, "exited_before_enrolment")
    await placement.enrol(late)
    await placement.wait_until_consumed()

    after = await placement.placement_of(late.participant_id)
    assert after is not None
    assert (after["status"], after["work_area"], after["placed_on"]) == (
        "exited_before_enrolment",
        None,
        None,
    )
    assert (await placement.workshop(CARE))["occupied"] == 0
    assert await placement.all_published() == []

    # The seat is still there for the next person.
    next_one = enrolled(CARE)
    await placement.enrol(next_one)
    await placement.wait_for_status(next_one.participant_id, "placed")


async def test_a_second_exit_has_no_effect(placement: PlacementUnderTest) -> None:
    seated, waiting = enrolled(CARE), enrolled(CARE)
    await placement.enrol(seated)
    await placement.wait_for_status(seated.participant_id, "placed")
    await placement.enrol(waiting)
    await placement.wait_for_status(waiting.participant_id, "waitlisted")
    await placement.exit(exited(seated.participant_id, EXIT_DATE))
    await placement.wait_for_offer(waiting.participant_id)

    await placement.exit(exited(seated.participant_id, EXIT_DATE + dt.timedelta(days=2)))
    await placement.wait_until_consumed()

    left = await placement.placement_of(seated.participant_id)
    assert left is not None
    assert (left["status"], left["ended_on"]) == ("ended", EXIT_DATE.isoformat())
    assert (await placement.workshop(CARE))["open_offers"] == 1
    assert len(await placement.all_published()) == 4  # placed, waitlisted, ended, offered
