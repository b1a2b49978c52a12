"""Re-entry over the real broker and database: a former participant's new stay is placed or
waitlisted again, also when its enrolment arrives before the previous stay's exit; redeliveries
and the earlier stay's enrolment have no second effect."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.placement.conftest import PlacementUnderTest, enrolled, exited
from tests.support.service_app import eventually
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

CARE = WorkArea.CARE
FIRST_EXIT = dt.date(2026, 11, 24)
RE_ENROLLED_ON = dt.date(2026, 11, 25)


def re_entry(first: EventEnvelope, on: dt.date = RE_ENROLLED_ON) -> EventEnvelope:
    return enrolled(CARE, participant_id=first.participant_id, enrolled_on=on)


Caused = tuple[str, uuid.UUID | None]


def decisions_of(events: list[EventEnvelope], participant_id: uuid.UUID) -> list[Caused]:
    """(event type, causation id) of one participant's events, in the order published."""
    return [(e.event_type, e.causation_id) for e in events if e.participant_id == participant_id]


async def wait_for_held(placement: PlacementUnderTest, participant_id: uuid.UUID, count: int) -> None:
    async def held() -> bool:
        placement_now = await placement.placement_of(participant_id)
        return placement_now is not None and placement_now["held_re_entries"] == count

    await eventually(held, what=f"{count} re-entries held for {participant_id}")


async def test_a_re_entry_after_the_exit_is_placed_again(placement: PlacementUnderTest) -> None:
    first = enrolled(CARE)
    await placement.enrol(first)
    await placement.wait_for_status(first.participant_id, "placed")
    leaving = exited(first.participant_id, FIRST_EXIT)
    await placement.exit(leaving)
    await placement.wait_for_status(first.participant_id, "ended")

    again = re_entry(first)
    await placement.enrol(again)

    async def second_stay_placed() -> bool:
        now = await placement.placement_of(first.participant_id)
        return now is not None and (now["stay"], now["status"]) == (2, "placed")

    await eventually(second_stay_placed, what="the second stay placed")
    seated = await placement.placement_of(first.participant_id)
    assert seated is not None
    assert seated["enrolment_id"] == str(again.data["enrolment_id"])
    assert (seated["placed_on"], seated["ended_on"], seated["exited_on"]) == (
        RE_ENROLLED_ON.isoformat(),
        None,
        None,
    )
    assert (await placement.workshop(CARE))["occupied"] == 1
    published = await placement.all_published()
    assert decisions_of(published, first.participant_id) == [
        ("ParticipantPlaced", first.event_id),
        ("PlacementEnded", leaving.event_id),
        ("ParticipantPlaced", again.event_id),
    ]


async def test_a_re_entry_finding_the_seat_taken_waits_for_it(placement: PlacementUnderTest) -> None:
    first, other = enrolled(CARE), enrolled(CARE)
    await placement.enrol(first)
    await placement.wait_for_status(first.participant_id, "placed")
    await placement.enrol(other)
    await placement.wait_for_status(other.participant_id, "waitlisted")
    await placement.exit(exited(first.participant_id, FIRST_EXIT))
    offer = await placement.wait_for_offer(other.participant_id)
    assert (await placement.accept(offer["offer_id"])).status_code == 200
    await placement.wait_for_status(other.participant_id, "placed")

    await placement.enrol(re_entry(first))
    waiting = await placement.wait_for_status(first.participant_id, "waitlisted")

    assert (waiting["stay"], waiting["waitlist_position"], waiting["work_area"]) == (2, 1, "care")
    workshop = await placement.workshop(CARE)
    assert (workshop["occupied"], workshop["waitlist_length"]) == (1, 1)


async def test_a_re_entry_heard_before_the_exit_is_applied_when_the_exit_arrives(
    placement: PlacementUnderTest,
) -> None:
    first, other = enrolled(CARE), enrolled(CARE)
    await placement.enrol(first)
    await placement.wait_for_status(first.participant_id, "placed")
    await placement.enrol(other)
    await placement.wait_for_status(other.participant_id, "waitlisted")

    # Intake enrolled the person again after hearing of the exit; placement hears it first.
    again = re_entry(first)
    await placement.enrol(again)
    await wait_for_held(placement, first.participant_id, 1)
    still = await placement.placement_of(first.participant_id)
    assert still is not None
    assert (still["status"], still["stay"]) == ("placed", 1)
    assert len(await placement.all_published()) == 2  # nothing decided for the re-entry yet

    leaving = exited(first.participant_id, FIRST_EXIT)
    await placement.exit(leaving)
    waiting = await placement.wait_for_status(first.participant_id, "waitlisted")

    # The freed seat was offered to the person already waiting; the re-entry queues behind.
    assert (waiting["stay"], waiting["waitlist_position"], waiting["held_re_entries"]) == (2, 2, 0)
    assert waiting["open_offer"] is None
    assert (await placement.open_offer_of(other.participant_id)) is not None
    published = await placement.all_published()
    assert decisions_of(published, first.participant_id) == [
        ("ParticipantPlaced", first.event_id),
        ("PlacementEnded", leaving.event_id),
        ("ParticipantWaitlisted", again.event_id),  # answers the re-entry, not the exit
    ]
    [waitlisted] = [event for event in published if event.causation_id == again.event_id]
    assert waitlisted.correlation_id == again.correlation_id
    assert decisions_of(published, other.participant_id) == [
        ("ParticipantWaitlisted", other.event_id),
        ("PlacementOffered", leaving.event_id),
    ]


async def test_a_re_entry_has_one_effect_however_often_it_arrives(placement: PlacementUnderTest) -> None:
    first = enrolled(CARE)
    await placement.enrol(first)
    await placement.wait_for_status(first.participant_id, "placed")
    again = re_entry(first)
    # The same enrolment in another event (another event id), as a republish by intake would be.
    republished = again.model_copy(update={"event_id": uuid.uuid4()})
    first_again = first.model_copy(update={"event_id": uuid.uuid4()})
    await placement.enrol(again)
    await placement.enrol(again)  # redelivered: the same event id
    await placement.enrol(republished)  # the same enrolment id in a new event
    await placement.enrol(first_again)  # the first stay's enrolment again
    await placement.wait_until_consumed()
    await wait_for_held(placement, first.participant_id, 1)

    await placement.exit(exited(first.participant_id, FIRST_EXIT))

    async def second_stay_placed() -> bool:
        now = await placement.placement_of(first.participant_id)
        return now is not None and (now["stay"], now["status"]) == (2, "placed")

    await eventually(second_stay_placed, what="the second stay placed")
    await placement.enrol(republished)
    await placement.enrol(first_again.model_copy(update={"event_id": uuid.uuid4()}))
    await placement.wait_until_consumed()

    after = await placement.placement_of(first.participant_id)
    assert after is not None
    assert (after["stay"], after["status"], after["held_re_entries"]) == (2, "placed", 0)
    published = await placement.all_published()
    assert [event for event, _ in decisions_of(published, first.participant_id)] == [
        "ParticipantPlaced",
        "PlacementEnded",
        "ParticipantPlaced",
    ]
    assert (await placement.workshop(CARE))["occupied"] == 1


async def test_an_exit_that_overtakes_the_re_entry_keeps_that_stay_from_taking_a_seat(
    placement: PlacementUnderTest,
) -> None:
    first = enrolled(CARE)
    await placement.enrol(first)
    await placement.wait_for_status(first.participant_id, "placed")
    await placement.exit(exited(first.participant_id, FIRST_EXIT))
    await placement.wait_for_status(first.participant_id, "ended")
    # The second stay was enrolled and has already exited; its exit arrives first.
    await placement.exit(exited(first.participant_id, RE_ENROLLED_ON + dt.timedelta(days=3)))
    await placement.wait_until_consumed()
    await placement.enrol(re_entry(first))

    noted = await placement.wait_for_status(first.participant_id, "exited_before_enrolment")
    assert (noted["stay"], noted["work_area"], noted["exited_on"]) == (
        2,
        None,
        (RE_ENROLLED_ON + dt.timedelta(days=3)).isoformat(),
    )
    assert (await placement.workshop(CARE))["occupied"] == 0
    assert len(await placement.all_published()) == 2
