"""`when_participant_enrolled_place_or_waitlist`: preference order, capacity edges, late enrolments."""

import dataclasses
import datetime as dt

import pytest

from placement.domain.decisions import Decision, when_participant_enrolled_place_or_waitlist
from placement.domain.enrolment import Enrolment
from placement.domain.events import Placed, Waitlisted
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.workshop import Waitlist, Workshop
from tests.unit.placement.builders import (
    BIKE,
    BUILDING,
    CARE,
    ENROLLED_ON,
    GARDEN,
    NOW,
    cause,
    enrolment,
    waiting,
    waitlists,
    workshops,
)
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea


def decide(
    new: Enrolment, known: Participant | None, seats: dict[WorkArea, Workshop], *lists: Waitlist
) -> Decision:
    return when_participant_enrolled_place_or_waitlist(new, known, seats, waitlists(*lists), NOW, cause())


def test_a_free_seat_in_the_first_choice_places_the_person_there() -> None:
    new = enrolment(CARE, GARDEN, funder=Funder.CITY)
    seats = workshops(care=(1, 0))
    decision = decide(new, None, seats, Waitlist(CARE))

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
    decision = decide(new, None, seats, Waitlist(CARE))

    assert decision.events == [Placed(new.participant_id, BIKE, ENROLLED_ON, from_waitlist=False)]
    assert (seats[CARE].occupied, seats[GARDEN].occupied, seats[BIKE].occupied) == (1, 2, 3)


def test_a_free_seat_in_an_area_not_preferred_is_not_used() -> None:
    new = enrolment(CARE)
    seats = workshops(care=(1, 1))  # every other workshop has 14 free seats
    decision = decide(new, None, seats, Waitlist(CARE))

    assert decision.events == [Waitlisted(new.participant_id, CARE, position=1)]
    assert seats[GARDEN].occupied == seats[BIKE].occupied == seats[BUILDING].occupied == 0


def test_with_every_preference_full_the_person_waits_for_the_first_choice_at_the_end() -> None:
    new = enrolment(GARDEN, CARE)
    seats = workshops(garden_landscape=(2, 2), care=(1, 1))
    garden_waitlist = waiting(GARDEN, 3)
    decision = decide(new, None, seats, garden_waitlist)

    assert decision.events == [Waitlisted(new.participant_id, GARDEN, position=4)]
    [participant] = decision.changed
    assert participant.status is PlacementStatus.WAITLISTED
    assert (participant.work_area, participant.waiting_since, participant.placed_on) == (GARDEN, NOW, None)
    assert garden_waitlist.position_of(new.participant_id) == 4
    assert (seats[GARDEN].occupied, seats[CARE].occupied) == (2, 1)


def test_a_workshop_with_capacity_zero_never_takes_anyone() -> None:
    new = enrolment(CARE)
    decision = decide(new, None, workshops(care=(0, 0)), Waitlist(CARE))
    assert decision.events == [Waitlisted(new.participant_id, CARE, position=1)]


def test_the_last_free_seat_goes_to_the_first_enrolment_and_the_second_waits() -> None:
    seats = workshops(care=(1, 0))
    waitlist = Waitlist(CARE)
    first, second = enrolment(CARE), enrolment(CARE)
    placed = decide(first, None, seats, waitlist)
    waits = decide(second, None, seats, waitlist)

    assert isinstance(placed.events[0], Placed)
    assert waits.events == [Waitlisted(second.participant_id, CARE, position=1)]
    assert seats[CARE].occupied == 1


def test_the_same_enrolment_again_changes_nothing() -> None:
    new = enrolment(CARE)
    seats = workshops(care=(2, 1))
    known = Participant.placed_on_enrolment(new, CARE)
    decision = decide(new, known, seats, Waitlist(CARE))

    assert (decision.changed, decision.events) == ([], [])
    assert seats[CARE].occupied == 1


def test_an_enrolment_without_id_for_someone_enrolled_changes_nothing() -> None:
    """Events written before enrolment ids existed: a known person's enrolment is a redelivery."""
    first = enrolment(CARE)
    known = Participant.placed_on_enrolment(first, CARE)
    known.end_placement(ENROLLED_ON)
    without_id = dataclasses.replace(first, enrolment_id=None)
    decision = decide(without_id, known, workshops(care=(2, 0)), Waitlist(CARE))

    assert (decision.changed, decision.events) == ([], [])
    assert known.status is PlacementStatus.ENDED


def test_an_enrolment_after_the_exit_takes_no_seat_but_keeps_the_coarse_facts() -> None:
    new = enrolment(CARE, BIKE, funder=Funder.YOUTH_OFFICE)
    exited = Participant.exited_before_enrolment(new.participant_id, dt.date(2026, 11, 24))
    seats = workshops(care=(1, 0))
    decision = decide(new, exited, seats, Waitlist(CARE))

    assert decision.events == []
    assert decision.changed == [exited]
    assert exited.status is PlacementStatus.EXITED_BEFORE_ENROLMENT
    assert (exited.preferred_work_areas, exited.funder, exited.enrolled_on) == (
        (CARE, BIKE),
        Funder.YOUTH_OFFICE,
        ENROLLED_ON,
    )
    assert seats[CARE].occupied == 0
    # and the same enrolment again changes nothing more
    again = decide(new, exited, seats, Waitlist(CARE))
    assert (again.changed, again.events) == ([], [])


def test_an_exit_heard_first_but_dated_before_the_enrolment_is_not_its_exit() -> None:
    """Outcomes refuses exits dated before the enrolment: that exit was of a stay never heard of."""
    new = enrolment(CARE)
    exited = Participant.exited_before_enrolment(new.participant_id, ENROLLED_ON - dt.timedelta(days=1))
    decision = decide(new, exited, workshops(care=(1, 0)), Waitlist(CARE))

    assert decision.events == [Placed(new.participant_id, CARE, ENROLLED_ON, from_waitlist=False)]
    assert (exited.status, exited.stay, exited.exits_ahead) == (PlacementStatus.PLACED, 1, ())


def test_deciding_needs_the_preferred_workshops_and_the_first_choices_waitlist() -> None:
    with pytest.raises(ValueError, match="waitlist of care is needed"):
        when_participant_enrolled_place_or_waitlist(
            enrolment(CARE), None, workshops(care=(0, 0)), {BIKE: Waitlist(BIKE)}, NOW, cause()
        )
    with pytest.raises(ValueError, match="workshop of care is needed"):
        when_participant_enrolled_place_or_waitlist(
            enrolment(CARE), None, {BIKE: Workshop(BIKE, 1)}, waitlists(), NOW, cause()
        )
