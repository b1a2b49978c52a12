"""Workshop catalogue decisions: seats added (by a change or a new workshop) are offered to those
waiting, in fair order; seats shrink only to the occupancy; details change as given."""

import uuid

import pytest

from placement.domain.area import WorkshopSeats
from placement.domain.catalogue import when_seats_may_be_free_offer_them, when_workshop_changed
from placement.domain.errors import SeatsMustCoverOccupancy
from placement.domain.events import Offered
from placement.domain.workshop import WorkshopChange
from tests.unit.placement.builders import (
    CARE,
    NOW,
    POLICY,
    VALID_FOR,
    WORKSHOP,
    area_of,
    waiting_in,
    workshop,
)


def test_added_seats_are_offered_to_those_waiting_longest_until_none_is_free() -> None:
    care = area_of(CARE, seats=1, placed=1)
    first, second, third = waiting_in(care, 3)
    decision = when_workshop_changed(WORKSHOP[CARE], WorkshopChange(seats=3), care, POLICY, NOW)

    assert [(type(e), e.participant_id) for e in decision.events] == [
        (Offered, first.participant_id),
        (Offered, second.participant_id),
    ]
    assert decision.changed == []  # offered, not placed
    seats = care.seats_of(WORKSHOP[CARE])
    assert (seats.workshop.seats, seats.placed, seats.open_offers, seats.free_seats) == (3, 1, 2, 0)
    assert care.open_offer_of(third.participant_id) is None


def test_added_seats_stay_free_when_nobody_waits() -> None:
    care = area_of(CARE, seats=5, placed=1)
    decision = when_workshop_changed(WORKSHOP[CARE], WorkshopChange(seats=6), care, POLICY, NOW)
    assert (decision.changed, decision.events) == ([], [])
    assert care.seats_of(WORKSHOP[CARE]).free_seats == 5


def test_seats_cannot_shrink_below_the_people_placed_and_the_seats_offers_hold() -> None:
    care = area_of(CARE, seats=2, placed=1)
    waiting_in(care, 1)
    care.offer_free_seats(NOW, VALID_FOR)
    with pytest.raises(SeatsMustCoverOccupancy):
        when_workshop_changed(WORKSHOP[CARE], WorkshopChange(seats=1, name="renamed"), care, POLICY, NOW)
    assert care.seats_of(WORKSHOP[CARE]).workshop.name == "care workshop"  # nothing half-changed


def test_a_change_renames_moves_the_lead_and_the_opening_days() -> None:
    care = area_of(CARE, seats=2)
    change = WorkshopChange(name="Pflege Nord", lead_instructor="petra.lange", opening_days=(3, 1, 1))
    when_workshop_changed(WORKSHOP[CARE], change, care, POLICY, NOW)
    changed = care.seats_of(WORKSHOP[CARE]).workshop
    assert (changed.name, changed.lead_instructor, changed.opening_days, changed.seats) == (
        "Pflege Nord",
        "petra.lange",
        (1, 3),
        2,
    )
    when_workshop_changed(WORKSHOP[CARE], WorkshopChange(lead_instructor=None), care, POLICY, NOW)
    assert changed.lead_instructor is None
    when_workshop_changed(WORKSHOP[CARE], WorkshopChange(), care, POLICY, NOW)
    assert changed.name == "Pflege Nord"


def test_a_new_workshop_in_an_area_offers_its_seats_to_those_waiting_for_the_area() -> None:
    care = area_of(CARE, seats=1, placed=1)
    first, _ = waiting_in(care, 2)
    opened = uuid.uuid4()
    care.workshops.append(WorkshopSeats(workshop(CARE, 1, name="Pflege Süd", workshop_id=opened)))
    decision = when_seats_may_be_free_offer_them([care], POLICY, NOW)
    [offered] = decision.events
    assert isinstance(offered, Offered)
    assert (offered.participant_id, offered.workshop_id) == (first.participant_id, opened)
