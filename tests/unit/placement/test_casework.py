"""Caseworkers' decisions: place by hand (only on a free seat no offer holds), transfer (also to
another area; the seat left is offered on), end a placement, flag an urgent case."""

import uuid

import pytest

from placement.domain.area import Area, WorkshopSeats
from placement.domain.casework import (
    areas_needed_for_casework,
    when_caseworker_ends_placement,
    when_caseworker_places,
    when_caseworker_transfers,
    when_urgency_changes,
)
from placement.domain.errors import (
    EndReasonMustBeGivenByHand,
    OpenOfferMustBeAnswered,
    ParticipantMustNotBePlaced,
    SeatMustBeFree,
    StayMustBeActive,
    TransferMustChangeWorkshop,
    UrgencyNeedsReason,
)
from placement.domain.events import Offered, Placed, PlacementEnded
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.urgency import UrgencyReason
from tests.unit.placement.builders import (
    BIKE,
    CARE,
    GARDEN,
    NOW,
    POLICY,
    TODAY,
    VALID_FOR,
    WORKSHOP,
    area_of,
    enrolment,
    placed_in,
    waiting_in,
    workshop,
)
from werkstattnetz_shared.events.vocabulary import PlacementEndReason, PlacementKind, WorkArea


def locked(*areas: Area) -> dict[WorkArea, Area]:
    return {area.work_area: area for area in areas}


def test_someone_waiting_is_placed_by_hand_in_a_free_seat_of_another_area() -> None:
    care, bike = area_of(CARE, seats=1, placed=1), area_of(BIKE, seats=1)
    first, second = waiting_in(care, 2)
    decision = when_caseworker_places(second, WORKSHOP[BIKE], locked(care, bike), POLICY, TODAY, NOW)

    assert decision.events == [
        Placed(
            second.participant_id,
            BIKE,
            TODAY,
            from_waitlist=True,
            workshop_id=WORKSHOP[BIKE],
            kind=PlacementKind.BY_CASEWORKER,
        )
    ]
    assert (second.status, second.work_area, second.workshop_id) == (
        PlacementStatus.PLACED,
        BIKE,
        WORKSHOP[BIKE],
    )
    assert care.waitlist.participant_ids == [first.participant_id]
    assert bike.seats_of(WORKSHOP[BIKE]).placed == 1


def test_placing_by_hand_needs_a_free_seat_no_offer_holds() -> None:
    care = area_of(CARE, seats=1)
    holder, other = waiting_in(care, 2)
    care.offer_free_seats(NOW, VALID_FOR)
    with pytest.raises(SeatMustBeFree):
        when_caseworker_places(other, WORKSHOP[CARE], locked(care), POLICY, TODAY, NOW)
    with pytest.raises(OpenOfferMustBeAnswered) as raised:
        when_caseworker_places(holder, WORKSHOP[CARE], locked(care), POLICY, TODAY, NOW)
    offer = care.open_offer_of(holder.participant_id)
    assert offer is not None
    assert raised.value.conflicting_id == offer.offer_id


def test_someone_placed_already_is_transferred_not_placed_and_a_closed_stay_is_not_placed() -> None:
    care, bike = area_of(CARE, seats=2), area_of(BIKE, seats=1)
    seated = placed_in(care)
    with pytest.raises(ParticipantMustNotBePlaced):
        when_caseworker_places(seated, WORKSHOP[BIKE], locked(care, bike), POLICY, TODAY, NOW)
    seated.end_placement(TODAY)
    with pytest.raises(StayMustBeActive):
        when_caseworker_places(seated, WORKSHOP[BIKE], locked(care, bike), POLICY, TODAY, NOW)


def test_a_transfer_to_another_area_ends_one_placement_starts_the_other_and_offers_the_seat_left() -> None:
    care, garden = area_of(CARE, seats=1), area_of(GARDEN, seats=1)
    mover = placed_in(care)
    [waiting] = waiting_in(care, 1)
    decision = when_caseworker_transfers(mover, WORKSHOP[GARDEN], locked(care, garden), POLICY, TODAY, NOW)

    [ended, placed, offered] = decision.events
    assert ended == PlacementEnded(
        mover.participant_id, CARE, TODAY, PlacementEndReason.TRANSFERRED, WORKSHOP[CARE]
    )
    assert placed == Placed(
        mover.participant_id,
        GARDEN,
        TODAY,
        from_waitlist=False,
        workshop_id=WORKSHOP[GARDEN],
        kind=PlacementKind.TRANSFER,
    )
    assert isinstance(offered, Offered)
    assert (offered.participant_id, offered.workshop_id) == (waiting.participant_id, WORKSHOP[CARE])
    assert (mover.status, mover.work_area, mover.workshop_id) == (
        PlacementStatus.PLACED,
        GARDEN,
        WORKSHOP[GARDEN],
    )
    assert (care.seats_of(WORKSHOP[CARE]).placed, garden.seats_of(WORKSHOP[GARDEN]).placed) == (0, 1)


def test_a_transfer_between_two_workshops_of_one_area() -> None:
    other = uuid.uuid4()
    care = area_of(CARE, 1, 0, WorkshopSeats(workshop(CARE, 1, name="Pflege Süd", workshop_id=other)))
    mover = placed_in(care)
    decision = when_caseworker_transfers(mover, other, locked(care), POLICY, TODAY, NOW)
    assert [type(event) for event in decision.events] == [PlacementEnded, Placed]
    assert (care.seats_of(WORKSHOP[CARE]).free_seats, care.seats_of(other).placed) == (1, 1)


def test_a_transfer_needs_another_workshop_with_a_free_seat() -> None:
    care, bike = area_of(CARE, seats=1), area_of(BIKE, seats=1, placed=1)
    mover = placed_in(care)
    with pytest.raises(TransferMustChangeWorkshop):
        when_caseworker_transfers(mover, WORKSHOP[CARE], locked(care, bike), POLICY, TODAY, NOW)
    with pytest.raises(SeatMustBeFree):
        when_caseworker_transfers(mover, WORKSHOP[BIKE], locked(care, bike), POLICY, TODAY, NOW)


def test_ending_a_placement_by_hand_keeps_the_person_in_the_programme_and_offers_the_seat() -> None:
    care = area_of(CARE, seats=1)
    person = placed_in(care)
    [waiting] = waiting_in(care, 1)
    with pytest.raises(EndReasonMustBeGivenByHand):
        when_caseworker_ends_placement(
            person, PlacementEndReason.TRANSFERRED, TODAY, locked(care), POLICY, TODAY, NOW
        )
    decision = when_caseworker_ends_placement(
        person, PlacementEndReason.DROPOUT, TODAY, locked(care), POLICY, TODAY, NOW
    )
    [ended, offered] = decision.events
    assert ended == PlacementEnded(
        person.participant_id, CARE, TODAY, PlacementEndReason.DROPOUT, WORKSHOP[CARE]
    )
    assert isinstance(offered, Offered)
    assert offered.participant_id == waiting.participant_id
    assert (person.status, person.ended_on) == (PlacementStatus.BETWEEN_PLACEMENTS, TODAY)

    bike = area_of(BIKE, seats=1)
    again = when_caseworker_places(person, WORKSHOP[BIKE], locked(bike), POLICY, TODAY, NOW)
    assert again.events[0] == Placed(
        person.participant_id,
        BIKE,
        TODAY,
        from_waitlist=False,
        workshop_id=WORKSHOP[BIKE],
        kind=PlacementKind.BY_CASEWORKER,
    )


def test_an_urgent_case_needs_a_reason_and_moves_ahead_on_the_waitlist() -> None:
    care = area_of(CARE, seats=0)
    first, second = waiting_in(care, 2)
    with pytest.raises(UrgencyNeedsReason):
        when_urgency_changes(second, True, None, locked(care))
    with pytest.raises(UrgencyNeedsReason):
        when_urgency_changes(second, False, UrgencyReason.OTHER, locked(care))
    decision = when_urgency_changes(second, True, UrgencyReason.RISK_OF_HOMELESSNESS, locked(care))
    assert (decision.changed, decision.events) == ([second], [])
    assert care.waitlist.participant_ids == [second.participant_id, first.participant_id]
    when_urgency_changes(second, False, None, locked(care))
    assert care.waitlist.participant_ids == [first.participant_id, second.participant_id]


def test_the_areas_casework_needs() -> None:
    care = area_of(CARE, seats=1)
    [waiting] = waiting_in(care, 1)
    assert areas_needed_for_casework(waiting, BIKE) == {CARE, BIKE}
    assert areas_needed_for_casework(None, BIKE) == {BIKE}
    between = Participant.placed_on_enrolment(enrolment(CARE), CARE, WORKSHOP[CARE], TODAY)
    between.end_placement_by_hand(TODAY, TODAY)
    assert areas_needed_for_casework(between) == set()
