"""`when_participant_enrolled_place_or_waitlist`: preference order, seats free or held by offers,
areas placed by hand, late enrolments."""

import dataclasses
import datetime as dt

import pytest

from placement.domain.area import Area
from placement.domain.decision import Decision
from placement.domain.decisions import when_participant_enrolled_place_or_waitlist
from placement.domain.enrolment import Enrolment
from placement.domain.events import Offered, Placed, Waitlisted
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.policy import PlacementPolicy
from tests.unit.placement.builders import (
    BIKE,
    BUILDING,
    CARE,
    ENROLLED_AT,
    ENROLLED_ON,
    GARDEN,
    NOW,
    POLICY,
    VALID_FOR,
    WORKSHOP,
    areas,
    cause,
    enrolment,
    waiting_in,
)
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea


def decide(
    new: Enrolment, known: Participant | None, seats: dict[WorkArea, Area], policy: PlacementPolicy = POLICY
) -> Decision:
    return when_participant_enrolled_place_or_waitlist(new, known, seats, policy, NOW, cause())


def placed(new: Enrolment, area: WorkArea) -> Placed:
    return Placed(new.participant_id, area, ENROLLED_ON, from_waitlist=False, workshop_id=WORKSHOP[area])


def test_a_free_seat_in_the_first_choice_places_the_person_there() -> None:
    new = dataclasses.replace(
        enrolment(CARE, GARDEN, funder=Funder.CITY), funders=(Funder.CITY, Funder.JOBCENTER)
    )
    seats = areas(care=(1, 0))
    decision = decide(new, None, seats)

    assert decision.events == [placed(new, CARE)]
    [participant] = decision.changed
    assert participant.status is PlacementStatus.PLACED
    assert (participant.work_area, participant.workshop_id, participant.placed_on) == (
        CARE,
        WORKSHOP[CARE],
        ENROLLED_ON,
    )
    assert participant.from_waitlist is False
    assert participant.preferred_work_areas == (CARE, GARDEN)
    assert (participant.funder, participant.funders) == (Funder.CITY, (Funder.CITY, Funder.JOBCENTER))
    assert participant.enrolled_at == new.enrolled_at
    assert seats[CARE].seats_of(WORKSHOP[CARE]).placed == 1


def test_a_full_first_choice_places_the_person_in_the_next_preference_with_a_seat() -> None:
    new = enrolment(CARE, GARDEN, BIKE)
    seats = areas(care=(1, 1), garden_landscape=(2, 2), bike_metal=(3, 2))
    decision = decide(new, None, seats)

    assert decision.events == [placed(new, BIKE)]
    assert [seats[area].seats_of(WORKSHOP[area]).placed for area in (CARE, GARDEN, BIKE)] == [1, 2, 3]


def test_a_free_seat_in_an_area_not_preferred_is_not_used() -> None:
    new = enrolment(CARE)
    seats = areas(care=(1, 1))  # every other area has 14 free seats
    decision = decide(new, None, seats)

    assert decision.events == [Waitlisted(new.participant_id, CARE, position=1)]
    assert all(seats[area].seats_of(WORKSHOP[area]).placed == 0 for area in (GARDEN, BIKE, BUILDING))


def test_a_seat_held_by_an_open_offer_is_not_free_for_a_new_enrolment() -> None:
    seats = areas(care=(1, 0))
    [holder] = waiting_in(seats[CARE], 1)
    seats[CARE].offer_free_seats(NOW, VALID_FOR)
    new = enrolment(CARE, enrolled_at=ENROLLED_AT + dt.timedelta(hours=1))
    decision = decide(new, None, seats)

    assert decision.events == [Waitlisted(new.participant_id, CARE, position=2)]
    assert seats[CARE].open_offer_of(holder.participant_id) is not None


def test_with_every_preference_full_the_person_waits_for_the_first_choice_in_fair_order() -> None:
    seats = areas(garden_landscape=(2, 2), care=(1, 1))
    waiting_in(seats[GARDEN], 3)  # enrolled from ENROLLED_AT on, a minute apart
    new = enrolment(GARDEN, CARE, enrolled_at=ENROLLED_AT + dt.timedelta(hours=1))
    decision = decide(new, None, seats)

    assert decision.events == [Waitlisted(new.participant_id, GARDEN, position=4)]
    [participant] = decision.changed
    assert participant.status is PlacementStatus.WAITLISTED
    assert (participant.work_area, participant.waiting_since, participant.placed_on) == (GARDEN, NOW, None)
    assert seats[GARDEN].waitlist.position_of(new.participant_id) == 4


def test_an_enrolment_heard_late_but_made_early_waits_ahead_of_those_enrolled_after_it() -> None:
    seats = areas(care=(0, 0))
    first, second = waiting_in(seats[CARE], 2)  # enrolled at ENROLLED_AT and a minute later
    early = enrolment(CARE, enrolled_at=ENROLLED_AT + dt.timedelta(seconds=30))
    decision = decide(early, None, seats)

    assert decision.events == [Waitlisted(early.participant_id, CARE, position=2)]
    assert seats[CARE].waitlist.participant_ids == [
        first.participant_id,
        early.participant_id,
        second.participant_id,
    ]


def test_a_workshop_with_no_seats_never_takes_anyone() -> None:
    new = enrolment(CARE)
    decision = decide(new, None, areas(care=(0, 0)))
    assert decision.events == [Waitlisted(new.participant_id, CARE, position=1)]


def test_the_last_free_seat_goes_to_the_first_enrolment_and_the_second_waits() -> None:
    seats = areas(care=(1, 0))
    first, second = enrolment(CARE), enrolment(CARE)
    placed_first = decide(first, None, seats)
    waits = decide(second, None, seats)

    assert placed_first.events == [placed(first, CARE)]
    assert waits.events == [Waitlisted(second.participant_id, CARE, position=1)]
    assert seats[CARE].seats_of(WORKSHOP[CARE]).placed == 1


def test_in_an_area_placed_by_hand_the_enrolment_waits_and_the_free_seat_is_offered() -> None:
    by_hand = PlacementPolicy(offer_valid_for=VALID_FOR, manual_areas=frozenset({CARE}))
    seats = areas(care=(1, 0))
    new = enrolment(CARE)
    decision = decide(new, None, seats, by_hand)

    [waitlisted, offered] = decision.events
    assert waitlisted == Waitlisted(new.participant_id, CARE, position=1)
    assert isinstance(offered, Offered)
    assert (offered.participant_id, offered.workshop_id, offered.expires_at) == (
        new.participant_id,
        WORKSHOP[CARE],
        NOW + VALID_FOR,
    )
    assert seats[CARE].seats_of(WORKSHOP[CARE]).occupied == 1  # held by the offer


def test_an_area_placed_by_hand_is_skipped_for_the_next_preference_that_places_on_enrolment() -> None:
    by_hand = PlacementPolicy(offer_valid_for=VALID_FOR, manual_areas=frozenset({CARE}))
    seats = areas(care=(1, 0))
    new = enrolment(GARDEN, CARE)
    decision = decide(new, None, seats, by_hand)
    assert decision.events == [placed(new, GARDEN)]


def test_the_same_enrolment_again_changes_nothing() -> None:
    new = enrolment(CARE)
    seats = areas(care=(2, 1))
    known = Participant.placed_on_enrolment(new, CARE, WORKSHOP[CARE])
    decision = decide(new, known, seats)

    assert (decision.changed, decision.events) == ([], [])
    assert seats[CARE].seats_of(WORKSHOP[CARE]).placed == 1


def test_an_enrolment_without_id_for_someone_enrolled_changes_nothing() -> None:
    """Events written before enrolment ids existed: a known person's enrolment is a redelivery."""
    first = enrolment(CARE)
    known = Participant.placed_on_enrolment(first, CARE, WORKSHOP[CARE])
    known.end_placement(ENROLLED_ON)
    without_id = dataclasses.replace(first, enrolment_id=None)
    decision = decide(without_id, known, areas(care=(2, 0)))

    assert (decision.changed, decision.events) == ([], [])
    assert known.status is PlacementStatus.ENDED


def test_an_enrolment_after_the_exit_takes_no_seat_but_keeps_the_coarse_facts() -> None:
    new = enrolment(CARE, BIKE, funder=Funder.YOUTH_OFFICE)
    exited = Participant.exited_before_enrolment(new.participant_id, dt.date(2026, 11, 24))
    seats = areas(care=(1, 0))
    decision = decide(new, exited, seats)

    assert decision.events == []
    assert decision.changed == [exited]
    assert exited.status is PlacementStatus.EXITED_BEFORE_ENROLMENT
    assert (exited.preferred_work_areas, exited.funder, exited.enrolled_on) == (
        (CARE, BIKE),
        Funder.YOUTH_OFFICE,
        ENROLLED_ON,
    )
    assert seats[CARE].seats_of(WORKSHOP[CARE]).placed == 0
    again = decide(new, exited, seats)  # the same enrolment again changes nothing more
    assert (again.changed, again.events) == ([], [])


def test_an_exit_heard_first_but_dated_before_the_enrolment_is_not_its_exit() -> None:
    """Outcomes refuses exits dated before the enrolment: that exit was of a stay never heard of."""
    new = enrolment(CARE)
    exited = Participant.exited_before_enrolment(new.participant_id, ENROLLED_ON - dt.timedelta(days=1))
    decision = decide(new, exited, areas(care=(1, 0)))

    assert decision.events == [placed(new, CARE)]
    assert (exited.status, exited.stay, exited.exits_ahead) == (PlacementStatus.PLACED, 1, ())


def test_deciding_needs_the_preferred_areas() -> None:
    with pytest.raises(ValueError, match="area care is needed"):
        when_participant_enrolled_place_or_waitlist(
            enrolment(CARE), None, {BIKE: areas()[BIKE]}, POLICY, NOW, cause()
        )
