"""`when_participant_enrolled_place_or_waitlist`: preference order, capacity edges, late enrolments."""

import datetime as dt

import pytest

from placement.domain.decisions import when_participant_enrolled_place_or_waitlist
from placement.domain.events import Placed, Waitlisted
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.workshop import Waitlist
from tests.unit.placement.builders import (
    BIKE,
    BUILDING,
    CARE,
    ENROLLED_ON,
    GARDEN,
    NOW,
    enrolment,
    waiting,
    workshops,
)
from werkstattnetz_shared.events.vocabulary import Funder


def test_a_free_seat_in_the_first_choice_places_the_person_there() -> None:
    new = enrolment(CARE, GARDEN, funder=Funder.CITY)
    seats = workshops(care=(1, 0))
    decision = when_participant_enrolled_place_or_waitlist(new, None, seats, Waitlist(CARE), NOW)

    assert decision.events == [Placed(new.participant_id, CARE, ENROLLED_ON, from_waitlist=False)]
    [participant] = decision.changed
    assert participant.status is PlacementStatus.PLACED
    assert (participant.work_area, participant.placed_on, participant.from_waitlist) == (
        CARE,
        ENROLLED_ON,
        False,
    )
    assert participant.preferred_work_areas == (CARE, GARDEN)
    assert participant.funder is Funder.CITY
    assert seats[CARE].occupied == 1


def test_a_full_first_choice_places_the_person_in_the_next_preference_with_a_seat() -> None:
    new = enrolment(CARE, GARDEN, BIKE)
    seats = workshops(care=(1, 1), garden_landscape=(2, 2), bike_metal=(3, 2))
    decision = when_participant_enrolled_place_or_waitlist(new, None, seats, Waitlist(CARE), NOW)

    assert decision.events == [Placed(new.participant_id, BIKE, ENROLLED_ON, from_waitlist=False)]
    assert (seats[CARE].occupied, seats[GARDEN].occupied, seats[BIKE].occupied) == (1, 2, 3)


def test_a_free_seat_in_an_area_not_preferred_is_not_used() -> None:
    new = enrolment(CARE)
    seats = workshops(care=(1, 1))  # every other workshop has 14 free seats
    decision = when_participant_enrolled_place_or_waitlist(new, None, seats, Waitlist(CARE), NOW)

    assert decision.events == [Waitlisted(new.participant_id, CARE, position=1)]
    assert seats[GARDEN].occupied == seats[BIKE].occupied == seats[BUILDING].occupied == 0


def test_with_every_preference_full_the_person_waits_for_the_first_choice_at_the_end() -> None:
    new = enrolment(GARDEN, CARE)
    seats = workshops(garden_landscape=(2, 2), care=(1, 1))
    garden_waitlist = waiting(GARDEN, 3)
    decision = when_participant_enrolled_place_or_waitlist(new, None, seats, garden_waitlist, NOW)

    assert decision.events == [Waitlisted(new.participant_id, GARDEN, position=4)]
    [participant] = decision.changed
    assert participant.status is PlacementStatus.WAITLISTED
    assert (participant.work_area, participant.waiting_since, participant.placed_on) == (GARDEN, NOW, None)
    assert garden_waitlist.position_of(new.participant_id) == 4
    assert (seats[GARDEN].occupied, seats[CARE].occupied) == (2, 1)


def test_a_workshop_with_capacity_zero_never_takes_anyone() -> None:
    new = enrolment(CARE)
    decision = when_participant_enrolled_place_or_waitlist(
        new, None, workshops(care=(0, 0)), Waitlist(CARE), NOW
    )
    assert decision.events == [Waitlisted(new.participant_id, CARE, position=1)]


def test_the_last_free_seat_goes_to_the_first_enrolment_and_the_second_waits() -> None:
    seats = workshops(care=(1, 0))
    waitlist = Waitlist(CARE)
    first, second = enrolment(CARE), enrolment(CARE)
    placed = when_participant_enrolled_place_or_waitlist(first, None, seats, waitlist, NOW)
    waits = when_participant_enrolled_place_or_waitlist(second, None, seats, waitlist, NOW)

    assert isinstance(placed.events[0], Placed)
    assert waits.events == [Waitlisted(second.participant_id, CARE, position=1)]
    assert seats[CARE].occupied == 1


def test_a_second_enrolment_of_a_known_participant_changes_nothing() -> None:
    new = enrolment(CARE)
    seats = workshops(care=(2, 1))
    known = Participant.placed_on_enrolment(new, CARE)
    decision = when_participant_enrolled_place_or_waitlist(new, known, seats, Waitlist(CARE), NOW)

    assert (decision.changed, decision.events) == ([], [])
    assert seats[CARE].occupied == 1


def test_an_enrolment_after_the_exit_takes_no_seat_but_keeps_the_coarse_facts() -> None:
    new = enrolment(CARE, BIKE, funder=Funder.YOUTH_OFFICE)
    exited = Participant.exited_before_enrolment(new.participant_id, dt.date(2026, 11, 24))
    seats = workshops(care=(1, 0))
    decision = when_participant_enrolled_place_or_waitlist(new, exited, seats, Waitlist(CARE), NOW)

    assert decision.events == []
    assert decision.changed == [exited]
    assert exited.status is PlacementStatus.EXITED_BEFORE_ENROLMENT
    assert (exited.preferred_work_areas, exited.funder, exited.enrolled_on) == (
        (CARE, BIKE),
        Funder.YOUTH_OFFICE,
        ENROLLED_ON,
    )
    assert seats[CARE].occupied == 0
    # and a redelivery of a differently-identified enrolment changes nothing more
    again = when_participant_enrolled_place_or_waitlist(new, exited, seats, Waitlist(CARE), NOW)
    assert (again.changed, again.events) == ([], [])


def test_the_waitlist_given_must_be_the_first_choice() -> None:
    with pytest.raises(ValueError, match="first preferred"):
        when_participant_enrolled_place_or_waitlist(
            enrolment(CARE), None, workshops(care=(0, 0)), Waitlist(BIKE), NOW
        )
