"""Re-entry: a later stay of the same participant (new enrolment id), before or after the exit."""

import datetime as dt

from placement.domain.decisions import (
    Decision,
    Exit,
    when_participant_enrolled_place_or_waitlist,
    when_participant_exited_free_seat_and_offer_next,
    workshops_needed_for_enrolment,
    workshops_needed_for_exit,
)
from placement.domain.enrolment import Cause, Enrolment
from placement.domain.events import Placed, PlacementEndedOnExit, Waitlisted
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.workshop import Waitlist, Workshop
from tests.unit.placement.builders import (
    BIKE,
    CARE,
    ENROLLED_ON,
    GARDEN,
    NOW,
    TODAY,
    cause,
    enrolment,
    waiting,
    waitlists,
    workshops,
)
from werkstattnetz_shared.events.vocabulary import WorkArea

FIRST_EXIT = dt.date(2026, 12, 10)
RE_ENROLLED_ON = dt.date(2027, 2, 1)


def enrol(
    new: Enrolment,
    known: Participant | None,
    seats: dict[WorkArea, Workshop],
    lists: dict[WorkArea, Waitlist],
    because: Cause | None = None,
) -> Decision:
    return when_participant_enrolled_place_or_waitlist(new, known, seats, lists, NOW, because or cause())


def exit_(
    known: Participant,
    seats: dict[WorkArea, Workshop],
    lists: dict[WorkArea, Waitlist],
    on: dt.date = FIRST_EXIT,
) -> Decision:
    leaving = Exit(known.participant_id, on)
    return when_participant_exited_free_seat_and_offer_next(leaving, known, seats, lists, TODAY, NOW)


def placed_then_exited(seats: dict[WorkArea, Workshop], lists: dict[WorkArea, Waitlist]) -> Participant:
    first = enrolment(CARE)
    [person] = enrol(first, None, seats, lists).changed
    exit_(person, seats, lists)
    return person


def re_entry(person: Participant, *areas: WorkArea, on: dt.date = RE_ENROLLED_ON) -> Enrolment:
    return enrolment(*(areas or (CARE,)), participant_id=person.participant_id, enrolled_on=on)


def test_a_re_entry_after_the_exit_starts_a_new_stay_with_a_seat() -> None:
    seats, lists = workshops(care=(1, 0)), waitlists()
    person = placed_then_exited(seats, lists)
    again = re_entry(person)
    decision = enrol(again, person, seats, lists)

    assert decision.events == [Placed(person.participant_id, CARE, RE_ENROLLED_ON, from_waitlist=False)]
    assert decision.changed == [person]
    assert (person.status, person.stay) == (PlacementStatus.PLACED, 2)
    assert person.enrolment_id == again.enrolment_id
    assert (person.placed_on, person.ended_on, person.exited_on) == (RE_ENROLLED_ON, None, None)
    assert seats[CARE].occupied == 1


def test_a_re_entry_finding_every_seat_taken_waits_at_the_end_of_its_first_choice() -> None:
    seats = workshops(care=(1, 0), garden_landscape=(1, 1))
    lists = waitlists(waiting(GARDEN, 2))
    person = placed_then_exited(seats, lists)
    enrol(enrolment(CARE), None, seats, lists)  # someone else takes the freed care seat
    decision = enrol(re_entry(person, GARDEN, CARE), person, seats, lists)

    assert decision.events == [Waitlisted(person.participant_id, GARDEN, position=3)]
    assert (person.status, person.work_area) == (PlacementStatus.WAITLISTED, GARDEN)
    assert person.waiting_since == NOW


def test_the_earlier_stays_enrolment_again_changes_nothing_so_it_never_places_twice() -> None:
    seats, lists = workshops(care=(2, 0)), waitlists()
    first = enrolment(CARE)
    [person] = enrol(first, None, seats, lists).changed
    exit_(person, seats, lists)
    enrol(re_entry(person), person, seats, lists)
    exit_(person, seats, lists, on=RE_ENROLLED_ON)

    assert enrol(first, person, seats, lists) == Decision()
    assert (person.status, person.stay, seats[CARE].occupied) == (PlacementStatus.ENDED, 2, 0)


def test_a_re_entry_heard_before_the_exit_is_held_without_a_seat_or_event() -> None:
    seats, lists = workshops(care=(1, 0)), waitlists()
    [person] = enrol(enrolment(CARE), None, seats, lists).changed
    again, announced = re_entry(person), cause()
    decision = enrol(again, person, seats, lists, announced)

    assert decision == Decision(changed=[person])
    assert (person.status, person.stay) == (PlacementStatus.PLACED, 1)
    assert [(held.enrolment, held.cause, held.heard_at) for held in person.held] == [(again, announced, NOW)]
    # The same re-entry again (a redelivery) changes nothing more.
    assert enrol(again, person, seats, lists) == Decision()
    assert len(person.held) == 1


def test_the_exit_frees_the_seat_for_those_waiting_first_and_the_held_re_entry_queues_behind() -> None:
    seats = workshops(care=(1, 0))
    lists = waitlists()
    [person] = enrol(enrolment(CARE), None, seats, lists).changed
    [first_waiting] = enrol(enrolment(CARE), None, seats, lists).changed
    announced = cause()
    enrol(re_entry(person), person, seats, lists, announced)
    decision = exit_(person, seats, lists)

    assert decision.events == [
        PlacementEndedOnExit(person.participant_id, CARE, FIRST_EXIT),
        Placed(first_waiting.participant_id, CARE, FIRST_EXIT, from_waitlist=True),
        Waitlisted(person.participant_id, CARE, position=1, cause=announced),
    ]
    assert decision.changed == [person, first_waiting]
    assert (person.status, person.stay, person.held) == (PlacementStatus.WAITLISTED, 2, ())
    assert seats[CARE].occupied == 1


def test_with_nobody_waiting_the_held_re_entry_gets_the_seat_its_own_exit_freed() -> None:
    seats, lists = workshops(care=(1, 0)), waitlists()
    [person] = enrol(enrolment(CARE), None, seats, lists).changed
    early = re_entry(person, on=FIRST_EXIT - dt.timedelta(days=3))  # dated before the exit by intake
    announced = cause()
    enrol(early, person, seats, lists, announced)
    decision = exit_(person, seats, lists)

    # Not placed before the stay it follows has ended.
    assert decision.events[-1] == Placed(
        person.participant_id, CARE, FIRST_EXIT, from_waitlist=False, cause=announced
    )
    assert (person.status, person.stay, person.placed_on) == (PlacementStatus.PLACED, 2, FIRST_EXIT)
    assert seats[CARE].occupied == 1


def test_a_held_re_entry_of_someone_waiting_joins_the_end_of_the_queue() -> None:
    seats = workshops(care=(0, 0))
    lists = waitlists(waiting(CARE, 1))
    [person] = enrol(enrolment(CARE), None, seats, lists).changed
    [behind] = enrol(enrolment(CARE), None, seats, lists).changed
    enrol(re_entry(person), person, seats, lists)
    decision = exit_(person, seats, lists)

    assert [type(event) for event in decision.events] == [Waitlisted]
    assert lists[CARE].position_of(person.participant_id) == 3
    assert lists[CARE].position_of(behind.participant_id) == 2


def test_each_exit_starts_the_next_held_stay_in_the_order_heard() -> None:
    seats, lists = workshops(care=(1, 0), bike_metal=(1, 0)), waitlists()
    [person] = enrol(enrolment(CARE), None, seats, lists).changed
    second, third = re_entry(person, BIKE), re_entry(person, CARE, on=RE_ENROLLED_ON + dt.timedelta(days=30))
    enrol(second, person, seats, lists)
    enrol(third, person, seats, lists)

    exit_(person, seats, lists)
    assert (person.stay, person.work_area, person.enrolment_id) == (2, BIKE, second.enrolment_id)
    exit_(person, seats, lists, on=RE_ENROLLED_ON)
    assert (person.stay, person.work_area, person.enrolment_id) == (3, CARE, third.enrolment_id)
    assert (seats[CARE].occupied, seats[BIKE].occupied, person.held) == (1, 0, ())


def test_an_exit_heard_before_the_re_entry_keeps_that_stay_from_taking_a_seat() -> None:
    seats, lists = workshops(care=(1, 0)), waitlists()
    person = placed_then_exited(seats, lists)
    second_exit = RE_ENROLLED_ON + dt.timedelta(days=5)
    exit_(person, seats, lists, on=second_exit)  # the second stay's exit overtook its enrolment
    assert (person.status, person.exits_ahead) == (PlacementStatus.ENDED, (second_exit,))

    decision = enrol(re_entry(person), person, seats, lists)
    assert decision == Decision(changed=[person])
    assert (person.status, person.stay, person.exited_on, person.exits_ahead) == (
        PlacementStatus.EXITED_BEFORE_ENROLMENT,
        2,
        second_exit,
        (),
    )
    assert seats[CARE].occupied == 0

    # A third stay is placed as usual.
    third = re_entry(person, on=second_exit + dt.timedelta(days=1))
    assert [type(event) for event in enrol(third, person, seats, lists).events] == [Placed]
    assert (person.status, person.stay) == (PlacementStatus.PLACED, 3)


def test_the_workshops_a_decision_needs() -> None:
    seats, lists = workshops(care=(1, 0)), waitlists()
    [person] = enrol(enrolment(CARE), None, seats, lists).changed
    again = re_entry(person, GARDEN, BIKE)

    assert workshops_needed_for_enrolment(again, None) == {GARDEN, BIKE}
    assert workshops_needed_for_enrolment(again, person) == {GARDEN, BIKE, CARE}
    assert workshops_needed_for_exit(None) == set()
    assert workshops_needed_for_exit(person) == {CARE}
    enrol(again, person, seats, lists)
    assert workshops_needed_for_exit(person) == {CARE, GARDEN, BIKE}
    exit_(person, seats, lists)
    assert (person.status, person.work_area) == (PlacementStatus.PLACED, GARDEN)
    assert workshops_needed_for_exit(person) == {GARDEN}


def test_a_first_enrolment_begins_stay_one() -> None:
    new = enrolment(CARE)
    [person] = enrol(new, None, workshops(), waitlists()).changed
    assert (person.stay, person.enrolment_id, person.enrolled_on) == (1, new.enrolment_id, ENROLLED_ON)
