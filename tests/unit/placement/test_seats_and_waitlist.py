"""An area's seats never overbook (open offers hold theirs) and never go negative; the waitlist
is in fair order: urgent cases first, then by the moment of enrolment the event stated."""

import datetime as dt
import uuid

import pytest

from placement.domain.area import WorkshopSeats
from placement.domain.errors import (
    SeatMustBeFree,
    SeatMustBeTaken,
    SeatsMustCoverOccupancy,
    WaitlistMustHoldParticipant,
)
from placement.domain.participant import Participant
from placement.domain.urgency import UrgencyReason
from placement.domain.waitlist import Place, Waitlist
from tests.unit.placement.builders import (
    BIKE,
    CARE,
    ENROLLED_AT,
    NOW,
    VALID_FOR,
    WORKSHOP,
    area_of,
    enrolment,
    placed_in,
    waiting_in,
    workshop,
)


def waiting_person(enrolled_at: dt.datetime, *, urgent: bool = False) -> Participant:
    person = Participant.waiting_after_enrolment(enrolment(CARE, enrolled_at=enrolled_at), since=NOW)
    if urgent:
        person.mark_urgent(UrgencyReason.RISK_OF_HOMELESSNESS)
    return person


def test_a_seat_can_be_taken_until_the_workshop_is_full() -> None:
    care = area_of(CARE, seats=2)
    care.take_seat(WORKSHOP[CARE], NOW)
    care.take_seat(WORKSHOP[CARE], NOW)
    seats = care.seats_of(WORKSHOP[CARE])
    assert (seats.placed, seats.free_seats, seats.vacancies) == (2, 0, [])
    with pytest.raises(SeatMustBeFree, match="no free seat: 2 placed and 0 held by open offers on 2 seats"):
        care.take_seat(WORKSHOP[CARE], NOW)
    assert seats.placed == 2


def test_a_workshop_without_seats_is_always_full() -> None:
    care = area_of(CARE, seats=0)
    assert care.workshop_with_free_seat() is None
    with pytest.raises(SeatMustBeFree):
        care.take_seat(WORKSHOP[CARE], NOW)


def test_a_seat_held_by_an_open_offer_cannot_be_taken_by_anyone_else() -> None:
    care = area_of(CARE, seats=1)
    [holder] = waiting_in(care, 1)
    [offered] = care.offer_free_seats(NOW, VALID_FOR)
    seats = care.seats_of(WORKSHOP[CARE])
    assert offered.participant_id == holder.participant_id
    assert (seats.placed, seats.open_offers, seats.occupied, seats.free_seats) == (0, 1, 1, 0)
    with pytest.raises(SeatMustBeFree, match="1 held by open offers"):
        care.take_seat(WORKSHOP[CARE], NOW)
    assert care.workshop_with_free_seat() is None


def test_each_free_seat_is_one_vacancy_and_gets_at_most_one_offer() -> None:
    care = area_of(CARE, seats=3, placed=1)
    waiting_in(care, 5)
    offered = care.offer_free_seats(NOW, VALID_FOR)
    seats = care.seats_of(WORKSHOP[CARE])
    assert len(seats.vacancies) == 2
    assert [vacancy.open_offer is not None for vacancy in seats.vacancies] == [True, True]
    assert len({event.offer_id for event in offered}) == 2
    assert len({event.participant_id for event in offered}) == 2
    assert care.offer_free_seats(NOW, VALID_FOR) == []  # nothing more to offer


def test_a_lowered_seat_count_shows_no_free_seats_rather_than_negative_ones() -> None:
    bike = area_of(BIKE, seats=2, placed=5)  # seats lowered before this revision
    assert bike.seats_of(WORKSHOP[BIKE]).free_seats == 0
    bike.give_back_seat(WORKSHOP[BIKE], NOW)
    seats = bike.seats_of(WORKSHOP[BIKE])
    assert (seats.placed, seats.free_seats, seats.vacancies) == (4, 0, [])


def test_giving_back_a_seat_frees_it_but_never_below_zero() -> None:
    care = area_of(CARE, seats=1, placed=1)
    care.give_back_seat(WORKSHOP[CARE], NOW)
    seats = care.seats_of(WORKSHOP[CARE])
    assert (seats.placed, seats.free_seats, len(seats.vacancies)) == (0, 1, 1)
    assert seats.vacancies[0].opened_at == NOW
    with pytest.raises(SeatMustBeTaken):
        care.give_back_seat(WORKSHOP[CARE], NOW)


def test_seats_shrink_only_down_to_the_people_placed_plus_the_seats_offers_hold() -> None:
    care = area_of(CARE, seats=5, placed=2)
    waiting_in(care, 1)
    care.offer_free_seats(NOW, VALID_FOR)  # one free seat now held
    with pytest.raises(SeatsMustCoverOccupancy, match="2 people sit there and 1 seats are held"):
        care.change_seats(WORKSHOP[CARE], 2, NOW)
    care.change_seats(WORKSHOP[CARE], 3, NOW)
    seats = care.seats_of(WORKSHOP[CARE])
    assert (seats.workshop.seats, seats.free_seats, len(seats.vacancies)) == (3, 0, 1)
    withdrawn = [v for v in care.changed_vacancies if v.status.value == "withdrawn"]
    assert len(withdrawn) == 2  # the free seats nobody held went; the held one stayed


def test_an_enrolment_placed_on_the_spot_goes_to_the_workshop_with_most_free_seats() -> None:
    second = WorkshopSeats(workshop(CARE, 6, name="east care", workshop_id=uuid.uuid4()), placed=1)
    care = area_of(CARE, 4, 2, second)
    chosen = care.workshop_with_free_seat()
    assert chosen is second
    care.change_seats(second.workshop_id, 3, NOW)
    assert care.workshop_with_free_seat() is care.seats_of(WORKSHOP[CARE])  # 2 free each: by name


def test_the_waitlist_is_in_the_order_of_enrolment_whatever_order_people_joined_in() -> None:
    waitlist = Waitlist(CARE)
    later = waiting_person(ENROLLED_AT + dt.timedelta(hours=2))
    earlier = waiting_person(ENROLLED_AT)
    middle = waiting_person(ENROLLED_AT + dt.timedelta(hours=1))
    assert waitlist.join(later) == 1
    assert waitlist.join(earlier) == 1  # heard later, enrolled first: ahead
    assert waitlist.join(middle) == 2
    assert waitlist.participant_ids == [person.participant_id for person in (earlier, middle, later)]
    assert waitlist.next_in_line() == Place.of(earlier)


def test_urgent_cases_wait_ahead_of_everyone_and_among_themselves_by_enrolment() -> None:
    waitlist = Waitlist(CARE)
    first = waiting_person(ENROLLED_AT)
    urgent_late = waiting_person(ENROLLED_AT + dt.timedelta(days=9), urgent=True)
    urgent_early = waiting_person(ENROLLED_AT + dt.timedelta(days=3), urgent=True)
    for person in (first, urgent_late, urgent_early):
        waitlist.join(person)
    assert waitlist.participant_ids == [p.participant_id for p in (urgent_early, urgent_late, first)]
    urgent_early.mark_urgent(None)
    waitlist.requeue(urgent_early)
    assert waitlist.participant_ids == [p.participant_id for p in (urgent_late, first, urgent_early)]


def test_the_same_moment_of_enrolment_is_ordered_by_participant_id() -> None:
    people = [waiting_person(ENROLLED_AT) for _ in range(5)]
    waitlist = Waitlist.of(CARE, people)
    assert waitlist.participant_ids == sorted(p.participant_id for p in people)


def test_leaving_the_waitlist_moves_everyone_behind_up() -> None:
    care = area_of(CARE)
    first, second, third, fourth = waiting_in(care, 4)
    assert care.waitlist.leave(second.participant_id) == Place.of(second)
    assert [care.waitlist.position_of(p.participant_id) for p in (first, third, fourth)] == [1, 2, 3]
    assert care.waitlist.position_of(second.participant_id) is None
    assert len(care.waitlist) == 3
    with pytest.raises(WaitlistMustHoldParticipant):
        care.waitlist.leave(uuid.uuid4())


def test_only_someone_waiting_for_this_area_can_join_its_list() -> None:
    waits_for_bike = Participant.waiting_after_enrolment(enrolment(BIKE, CARE), since=NOW)
    with pytest.raises(WaitlistMustHoldParticipant):
        Waitlist(CARE).join(waits_for_bike)
    with pytest.raises(WaitlistMustHoldParticipant):
        Waitlist(CARE).join(placed_in(area_of(CARE)))
