"""Re-entry: a later stay of the same participant (new enrolment id), before or after the exit."""

import datetime as dt
import uuid

from placement.domain.area import Area
from placement.domain.decision import Decision
from placement.domain.decisions import (
    Exit,
    when_participant_enrolled_place_or_waitlist,
    when_participant_exited_free_seat_and_offer_next,
    workshops_needed_for_enrolment,
    workshops_needed_for_exit,
)
from placement.domain.enrolment import Cause, Enrolment
from placement.domain.events import Offered, Placed, PlacementEnded, Waitlisted
from placement.domain.participant import Participant, PlacementStatus
from tests.unit.placement.builders import (
    BIKE,
    CARE,
    ENROLLED_ON,
    GARDEN,
    NOW,
    POLICY,
    TODAY,
    WORKSHOP,
    areas,
    cause,
    enrolment,
    waiting_in,
)
from werkstattnetz_shared.events.vocabulary import PlacementEndReason, WorkArea

FIRST_EXIT = dt.date(2026, 12, 10)
RE_ENROLLED_ON = dt.date(2027, 2, 1)


def enrol(
    new: Enrolment, known: Participant | None, seats: dict[WorkArea, Area], because: Cause | None = None
) -> Decision:
    return when_participant_enrolled_place_or_waitlist(new, known, seats, POLICY, NOW, because or cause())


def exit_(known: Participant, seats: dict[WorkArea, Area], on: dt.date = FIRST_EXIT) -> Decision:
    leaving = Exit(known.participant_id, on)
    return when_participant_exited_free_seat_and_offer_next(leaving, known, seats, POLICY, TODAY, NOW)


def placed_then_exited(seats: dict[WorkArea, Area]) -> Participant:
    first = enrolment(CARE)
    [person] = enrol(first, None, seats).changed
    exit_(person, seats)
    return person


def placed_seat(
    participant_id: uuid.UUID, area: WorkArea, on: dt.date, because: Cause | None = None
) -> Placed:
    return Placed(participant_id, area, on, from_waitlist=False, cause=because, workshop_id=WORKSHOP[area])


def re_entry(person: Participant, *areas: WorkArea, on: dt.date = RE_ENROLLED_ON) -> Enrolment:
    return enrolment(*(areas or (CARE,)), participant_id=person.participant_id, enrolled_on=on)


def occupied(seats: dict[WorkArea, Area], area: WorkArea) -> int:
    return seats[area].seats_of(WORKSHOP[area]).occupied


def test_a_re_entry_after_the_exit_starts_a_new_stay_with_a_seat() -> None:
    seats = areas(care=(1, 0))
    person = placed_then_exited(seats)
    again = re_entry(person)
    decision = enrol(again, person, seats)

    assert decision.events == [placed_seat(person.participant_id, CARE, RE_ENROLLED_ON)]
    assert decision.changed == [person]
    assert (person.status, person.stay) == (PlacementStatus.PLACED, 2)
    assert person.enrolment_id == again.enrolment_id
    assert (person.placed_on, person.ended_on, person.exited_on) == (RE_ENROLLED_ON, None, None)
    assert occupied(seats, CARE) == 1


def test_a_re_entry_finding_every_seat_taken_waits_for_its_first_choice_by_its_enrolment() -> None:
    seats = areas(care=(1, 0), garden_landscape=(1, 1))
    waiting_in(seats[GARDEN], 2)
    person = placed_then_exited(seats)
    enrol(enrolment(CARE), None, seats)  # someone else takes the freed care seat
    decision = enrol(re_entry(person, GARDEN, CARE), person, seats)

    assert decision.events == [Waitlisted(person.participant_id, GARDEN, position=3)]
    assert (person.status, person.work_area) == (PlacementStatus.WAITLISTED, GARDEN)
    assert person.waiting_since == NOW


def test_the_earlier_stays_enrolment_again_changes_nothing_so_it_never_places_twice() -> None:
    seats = areas(care=(2, 0))
    first = enrolment(CARE)
    [person] = enrol(first, None, seats).changed
    exit_(person, seats)
    enrol(re_entry(person), person, seats)
    exit_(person, seats, on=RE_ENROLLED_ON)

    assert enrol(first, person, seats) == Decision()
    assert (person.status, person.stay, occupied(seats, CARE)) == (PlacementStatus.ENDED, 2, 0)


def test_a_re_entry_heard_before_the_exit_is_held_without_a_seat_or_event() -> None:
    seats = areas(care=(1, 0))
    [person] = enrol(enrolment(CARE), None, seats).changed
    again, announced = re_entry(person), cause()
    decision = enrol(again, person, seats, announced)

    assert decision == Decision(changed=[person])
    assert (person.status, person.stay) == (PlacementStatus.PLACED, 1)
    assert [(held.enrolment, held.cause, held.heard_at) for held in person.held] == [(again, announced, NOW)]
    # The same re-entry again (a redelivery) changes nothing more.
    assert enrol(again, person, seats) == Decision()
    assert len(person.held) == 1


def test_the_exit_offers_the_seat_to_those_waiting_first_and_the_held_re_entry_queues_behind() -> None:
    seats = areas(care=(1, 0))
    [person] = enrol(enrolment(CARE), None, seats).changed
    [first_waiting] = enrol(enrolment(CARE), None, seats).changed
    announced = cause()
    enrol(re_entry(person), person, seats, announced)
    decision = exit_(person, seats)

    [ended, offered, waitlisted] = decision.events
    assert ended == PlacementEnded(
        person.participant_id, CARE, FIRST_EXIT, PlacementEndReason.EXITED, WORKSHOP[CARE]
    )
    assert isinstance(offered, Offered)
    assert offered.participant_id == first_waiting.participant_id
    assert waitlisted == Waitlisted(person.participant_id, CARE, position=2, cause=announced)
    assert decision.changed == [person]
    assert (person.status, person.stay, person.held) == (PlacementStatus.WAITLISTED, 2, ())
    assert occupied(seats, CARE) == 1  # held by the offer


def test_a_held_re_entry_does_not_take_the_offer_its_exit_made_even_if_enrolled_earlier() -> None:
    """The seat the exit freed goes to whoever waited while the previous stay was active."""
    seats = areas(care=(1, 0))
    [person] = enrol(enrolment(CARE), None, seats).changed
    enrol(re_entry(person, on=ENROLLED_ON), person, seats)  # intake's time: before the one waiting
    [waiting] = enrol(enrolment(CARE, enrolled_on=RE_ENROLLED_ON), None, seats).changed
    decision = exit_(person, seats)

    offered = [event for event in decision.events if isinstance(event, Offered)]
    assert [event.participant_id for event in offered] == [waiting.participant_id]
    assert seats[CARE].waitlist.position_of(person.participant_id) == 1  # but it waits ahead for the next


def test_with_nobody_waiting_the_held_re_entry_gets_the_seat_its_own_exit_freed() -> None:
    seats = areas(care=(1, 0))
    [person] = enrol(enrolment(CARE), None, seats).changed
    early = re_entry(person, on=FIRST_EXIT - dt.timedelta(days=3))  # dated before the exit by intake
    announced = cause()
    enrol(early, person, seats, announced)
    decision = exit_(person, seats)

    # Not placed before the stay it follows has ended.
    assert decision.events[-1] == placed_seat(person.participant_id, CARE, FIRST_EXIT, announced)
    assert (person.status, person.stay, person.placed_on) == (PlacementStatus.PLACED, 2, FIRST_EXIT)
    assert occupied(seats, CARE) == 1


def test_a_held_re_entry_of_someone_waiting_joins_the_queue_by_its_enrolment() -> None:
    seats = areas(care=(0, 0))
    waiting_in(seats[CARE], 1)
    [person] = enrol(enrolment(CARE), None, seats).changed
    [behind] = enrol(enrolment(CARE, enrolled_on=ENROLLED_ON + dt.timedelta(days=1)), None, seats).changed
    enrol(re_entry(person), person, seats)
    decision = exit_(person, seats)

    assert [type(event) for event in decision.events] == [Waitlisted]
    assert seats[CARE].waitlist.position_of(person.participant_id) == 3
    assert seats[CARE].waitlist.position_of(behind.participant_id) == 2


def test_each_exit_starts_the_next_held_stay_in_the_order_heard() -> None:
    seats = areas(care=(1, 0), bike_metal=(1, 0))
    [person] = enrol(enrolment(CARE), None, seats).changed
    second, third = re_entry(person, BIKE), re_entry(person, CARE, on=RE_ENROLLED_ON + dt.timedelta(days=30))
    enrol(second, person, seats)
    enrol(third, person, seats)

    exit_(person, seats)
    assert (person.stay, person.work_area, person.enrolment_id) == (2, BIKE, second.enrolment_id)
    exit_(person, seats, on=RE_ENROLLED_ON)
    assert (person.stay, person.work_area, person.enrolment_id) == (3, CARE, third.enrolment_id)
    assert (occupied(seats, CARE), occupied(seats, BIKE), person.held) == (1, 0, ())


def test_an_exit_heard_before_the_re_entry_keeps_that_stay_from_taking_a_seat() -> None:
    seats = areas(care=(1, 0))
    person = placed_then_exited(seats)
    second_exit = RE_ENROLLED_ON + dt.timedelta(days=5)
    exit_(person, seats, on=second_exit)  # the second stay's exit overtook its enrolment
    assert (person.status, person.exits_ahead) == (PlacementStatus.ENDED, (second_exit,))

    decision = enrol(re_entry(person), person, seats)
    assert decision == Decision(changed=[person])
    assert (person.status, person.stay, person.exited_on, person.exits_ahead) == (
        PlacementStatus.EXITED_BEFORE_ENROLMENT,
        2,
        second_exit,
        (),
    )
    assert occupied(seats, CARE) == 0

    # A third stay is placed as usual.
    third = re_entry(person, on=second_exit + dt.timedelta(days=1))
    assert [type(event) for event in enrol(third, person, seats).events] == [Placed]
    assert (person.status, person.stay) == (PlacementStatus.PLACED, 3)


def test_the_areas_a_decision_needs() -> None:
    seats = areas(care=(1, 0))
    [person] = enrol(enrolment(CARE), None, seats).changed
    again = re_entry(person, GARDEN, BIKE)

    assert workshops_needed_for_enrolment(again, None) == {GARDEN, BIKE}
    assert workshops_needed_for_enrolment(again, person) == {GARDEN, BIKE, CARE}
    assert workshops_needed_for_exit(None) == set()
    assert workshops_needed_for_exit(person) == {CARE}
    enrol(again, person, seats)
    assert workshops_needed_for_exit(person) == {CARE, GARDEN, BIKE}
    exit_(person, seats)
    assert (person.status, person.work_area) == (PlacementStatus.PLACED, GARDEN)
    assert workshops_needed_for_exit(person) == {GARDEN}


def test_a_re_entry_held_between_two_placements_starts_at_the_exit() -> None:
    seats = areas(care=(1, 0))
    [person] = enrol(enrolment(CARE), None, seats).changed
    person.end_placement_by_hand(TODAY, TODAY)
    seats[CARE].give_back_seat(WORKSHOP[CARE], NOW)
    assert workshops_needed_for_exit(person) == set()  # no seat or spot to give up
    again, announced = re_entry(person), cause()
    assert enrol(again, person, seats, announced) == Decision(changed=[person])  # held: the stay goes on
    decision = exit_(person, seats, on=TODAY)

    assert decision.events == [placed_seat(person.participant_id, CARE, RE_ENROLLED_ON, announced)]
    assert (person.stay, person.status) == (2, PlacementStatus.PLACED)


def test_a_first_enrolment_begins_stay_one() -> None:
    new = enrolment(CARE)
    [person] = enrol(new, None, areas()).changed
    assert (person.stay, person.enrolment_id, person.enrolled_on) == (1, new.enrolment_id, ENROLLED_ON)
