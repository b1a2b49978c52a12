"""Seats never overbook and never go negative; the waitlist is first come, first served."""

import uuid

import pytest

from placement.domain.errors import SeatMustBeFree, SeatMustBeTaken, WaitlistMustHoldParticipant
from placement.domain.participant import Participant
from placement.domain.workshop import Waitlist, Workshop
from tests.unit.placement.builders import BIKE, CARE, NOW, enrolment, waiting


def test_a_seat_can_be_taken_until_the_workshop_is_full() -> None:
    workshop = Workshop(CARE, capacity=2)
    workshop.take_seat()
    workshop.take_seat()
    assert (workshop.occupied, workshop.free_seats, workshop.has_free_seat) == (2, 0, False)
    with pytest.raises(SeatMustBeFree, match="care is full"):
        workshop.take_seat()
    assert workshop.occupied == 2


def test_a_workshop_without_seats_is_always_full() -> None:
    workshop = Workshop(CARE, capacity=0)
    assert workshop.free_seats == 0
    with pytest.raises(SeatMustBeFree):
        workshop.take_seat()


def test_a_lowered_capacity_shows_no_free_seats_rather_than_negative_ones() -> None:
    workshop = Workshop(BIKE, capacity=2, occupied=5)
    assert workshop.free_seats == 0
    workshop.give_back_seat()
    assert (workshop.occupied, workshop.free_seats) == (4, 0)


def test_giving_back_a_seat_frees_it_but_never_below_zero() -> None:
    workshop = Workshop(CARE, capacity=1, occupied=1)
    workshop.give_back_seat()
    assert (workshop.occupied, workshop.free_seats) == (0, 1)
    with pytest.raises(SeatMustBeTaken):
        workshop.give_back_seat()


def test_joining_the_waitlist_returns_the_position_at_the_end() -> None:
    waitlist = waiting(CARE, 2)
    newcomer = Participant.waiting_after_enrolment(enrolment(CARE), since=NOW)
    assert waitlist.join(newcomer) == 3
    assert waitlist.position_of(newcomer.participant_id) == 3


def test_the_first_to_join_is_the_next_in_line() -> None:
    waitlist = Waitlist(CARE)
    assert waitlist.next_in_line() is None
    first, second = (Participant.waiting_after_enrolment(enrolment(CARE), since=NOW) for _ in range(2))
    waitlist.join(first)
    waitlist.join(second)
    assert waitlist.next_in_line() is first


def test_leaving_the_waitlist_moves_everyone_behind_up() -> None:
    waitlist = waiting(CARE, 4)
    first, second, third, fourth = list(waitlist.waiting)
    assert waitlist.leave(second.participant_id) is second
    assert [waitlist.position_of(p.participant_id) for p in (first, third, fourth)] == [1, 2, 3]
    assert waitlist.position_of(second.participant_id) is None
    assert len(waitlist) == 3


def test_only_someone_on_the_list_can_leave_it() -> None:
    with pytest.raises(WaitlistMustHoldParticipant):
        waiting(CARE, 1).leave(uuid.uuid4())


def test_only_someone_waiting_for_this_workshop_can_join_its_list() -> None:
    waits_for_bike = Participant.waiting_after_enrolment(enrolment(BIKE, CARE), since=NOW)
    with pytest.raises(WaitlistMustHoldParticipant):
        Waitlist(CARE).join(waits_for_bike)
    placed = Participant.placed_on_enrolment(enrolment(CARE), CARE)
    with pytest.raises(WaitlistMustHoldParticipant):
        Waitlist(CARE).join(placed)
