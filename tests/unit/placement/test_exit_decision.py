"""`when_participant_exited_free_seat_and_offer_next`: a freed seat is offered (never silently
assigned), a waiting person's offer is declined for them, unknown people are remembered."""

import datetime as dt
import uuid

import pytest

from placement.domain.area import Area
from placement.domain.decision import Decision
from placement.domain.decisions import Exit, when_participant_exited_free_seat_and_offer_next
from placement.domain.events import OfferDeclined, Offered, PlacementEnded
from placement.domain.participant import Participant, PlacementStatus
from tests.unit.placement.builders import (
    BIKE,
    CARE,
    ENROLLED_ON,
    NOW,
    POLICY,
    TODAY,
    VALID_FOR,
    WORKSHOP,
    area_of,
    placed_in,
    waiting_in,
)
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason, PlacementEndReason

EXIT_DATE = dt.date(2026, 11, 24)


def decide(
    leaving: Participant | None,
    *areas: Area,
    participant_id: uuid.UUID | None = None,
    exit_date: dt.date = EXIT_DATE,
) -> Decision:
    """The exit of `leaving` (or of an unknown `participant_id`), deciding on the areas given."""
    exit_ = Exit(leaving.participant_id if leaving else participant_id or uuid.uuid4(), exit_date)
    locked = {area.work_area: area for area in areas}
    return when_participant_exited_free_seat_and_offer_next(exit_, leaving, locked, POLICY, TODAY, NOW)


def ended(participant: Participant, on: dt.date = EXIT_DATE) -> PlacementEnded:
    return PlacementEnded(participant.participant_id, CARE, on, PlacementEndReason.EXITED, WORKSHOP[CARE])


def test_the_exit_of_a_placed_person_ends_the_placement_and_frees_the_seat() -> None:
    care = area_of(CARE, seats=1)
    leaving = placed_in(care)
    decision = decide(leaving, care)

    assert decision.events == [ended(leaving)]
    assert decision.changed == [leaving]
    assert (leaving.status, leaving.ended_on, leaving.exited_on) == (
        PlacementStatus.ENDED,
        EXIT_DATE,
        EXIT_DATE,
    )
    seats = care.seats_of(WORKSHOP[CARE])
    assert (seats.placed, seats.free_seats) == (0, 1)  # nobody waits: the seat stays free


def test_the_freed_seat_is_offered_to_the_first_person_waiting_not_given_to_them() -> None:
    care = area_of(CARE, seats=1)
    leaving = placed_in(care)
    first, second, third = waiting_in(care, 3)
    decision = decide(leaving, care)

    [end, offered] = decision.events
    assert end == ended(leaving)
    assert isinstance(offered, Offered)
    assert offered == Offered(
        first.participant_id, offered.offer_id, WORKSHOP[CARE], CARE, NOW, NOW + VALID_FOR
    )
    assert decision.changed == [leaving]  # nobody else changed: the offer still has to be accepted
    assert first.status is PlacementStatus.WAITLISTED
    assert [care.waitlist.position_of(p.participant_id) for p in (first, second, third)] == [1, 2, 3]
    seats = care.seats_of(WORKSHOP[CARE])
    assert (seats.placed, seats.open_offers, seats.free_seats) == (0, 1, 0)
    [offer] = care.changed_offers
    assert (offer.participant_id, offer.expires_at, offer.is_open) == (
        first.participant_id,
        NOW + VALID_FOR,
        True,
    )


def test_with_a_lowered_seat_count_a_freed_seat_is_not_offered() -> None:
    care = area_of(CARE, seats=1, placed=2)  # lowered from 3 before this revision
    leaving = placed_in(area_of(CARE))  # someone of the three
    waiting_in(care, 2)
    decision = decide(leaving, care)
    assert decision.events == [ended(leaving)]
    assert care.seats_of(WORKSHOP[CARE]).placed == 1


def test_a_person_waiting_who_exits_leaves_the_waitlist_and_those_behind_move_up() -> None:
    care = area_of(CARE, seats=1, placed=1)
    first, second, third = waiting_in(care, 3)
    decision = decide(second, care)

    assert decision.events == []
    assert decision.changed == [second]
    assert (second.status, second.exited_on) == (PlacementStatus.LEFT_WAITLIST, EXIT_DATE)
    assert [care.waitlist.position_of(p.participant_id) for p in (first, third)] == [1, 2]


def test_an_offer_held_by_someone_who_exits_is_declined_for_them_and_passed_on() -> None:
    care = area_of(CARE, seats=1)
    first, second = waiting_in(care, 2)
    [offered] = care.offer_free_seats(NOW, VALID_FOR)
    decision = decide(first, care)

    [declined, passed_on] = decision.events
    assert declined == OfferDeclined(
        first.participant_id, offered.offer_id, WORKSHOP[CARE], CARE, OfferDeclineReason.PARTICIPANT_LEFT, NOW
    )
    assert isinstance(passed_on, Offered)
    assert passed_on.participant_id == second.participant_id
    assert first.status is PlacementStatus.LEFT_WAITLIST


def test_an_exit_between_two_placements_ends_the_stay_without_touching_any_seat() -> None:
    care = area_of(CARE, seats=1)
    person = placed_in(care)
    person.end_placement_by_hand(EXIT_DATE, TODAY)
    care.give_back_seat(WORKSHOP[CARE], NOW)
    decision = decide(person, exit_date=TODAY)

    assert (decision.changed, decision.events) == ([person], [])
    assert (person.status, person.ended_on, person.exited_on) == (PlacementStatus.ENDED, EXIT_DATE, TODAY)


def test_an_exit_before_the_enrolment_is_remembered_without_a_seat_or_event() -> None:
    unknown = uuid.uuid4()
    decision = decide(None, participant_id=unknown)

    assert decision.events == []
    [remembered] = decision.changed
    assert remembered.participant_id == unknown
    assert (remembered.status, remembered.exited_on) == (PlacementStatus.EXITED_BEFORE_ENROLMENT, EXIT_DATE)
    assert remembered.work_area is None


@pytest.mark.parametrize("second_exit_date", [EXIT_DATE, EXIT_DATE + dt.timedelta(days=3)])
def test_a_second_exit_frees_no_seat_and_is_kept_as_the_exit_of_a_stay_not_yet_enrolled(
    second_exit_date: dt.date,
) -> None:
    """Outcomes records one exit per stay, so another exit is that of a later stay whose enrolment
    has not arrived yet (the topics have no order between them)."""
    care = area_of(CARE, seats=1)
    leaving = placed_in(care)
    decide(leaving, care)
    again = decide(leaving, care, exit_date=second_exit_date)

    assert (again.changed, again.events) == ([leaving], [])
    assert (leaving.status, leaving.ended_on, leaving.exits_ahead) == (
        PlacementStatus.ENDED,
        EXIT_DATE,
        (second_exit_date,),
    )
    assert care.seats_of(WORKSHOP[CARE]).placed == 0


@pytest.mark.parametrize(
    "earlier",
    [
        Participant.exited_before_enrolment(uuid.uuid4(), EXIT_DATE),
        Participant(
            uuid.uuid4(), PlacementStatus.LEFT_WAITLIST, (CARE,), enrolled_on=ENROLLED_ON, work_area=CARE
        ),
    ],
)
def test_a_second_exit_of_someone_without_a_seat_only_is_remembered(earlier: Participant) -> None:
    status = earlier.status
    decision = decide(earlier, exit_date=EXIT_DATE + dt.timedelta(days=1))
    assert (decision.changed, decision.events) == ([earlier], [])
    assert earlier.status is status
    assert earlier.exits_ahead[-1] == EXIT_DATE + dt.timedelta(days=1)


def test_deciding_on_a_placed_person_needs_their_own_area() -> None:
    care = area_of(CARE, seats=1)
    leaving = placed_in(care)
    with pytest.raises(ValueError, match="area care is needed"):
        decide(leaving, area_of(BIKE))
