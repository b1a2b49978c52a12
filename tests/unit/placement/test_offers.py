"""Seat offers: a freed seat goes as an offer to the next suitable person; accepted it places them,
declined or expired it passes on. A decliner keeps their place for later seats but is never
offered the same seat again; with nobody suitable waiting the seat stays free."""

import datetime as dt
import uuid
from collections.abc import Sequence

import pytest

from placement.domain.area import Area
from placement.domain.decisions import Exit, when_participant_exited_free_seat_and_offer_next
from placement.domain.errors import OfferMustBeOpen, WaitlistMustHoldParticipant
from placement.domain.events import OfferDeclined, Offered, OfferExpired, Placed
from placement.domain.offer_answers import when_offer_accepted, when_offer_declined, when_offer_expired
from placement.domain.offers import OfferStatus, VacancyStatus
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.urgency import UrgencyReason
from tests.unit.placement.builders import (
    CARE,
    NOW,
    POLICY,
    TODAY,
    VALID_FOR,
    WORKSHOP,
    area_of,
    enrolment,
    waiting_in,
)
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason, PlacementKind

LATER = NOW + dt.timedelta(hours=1)
EXPIRED = NOW + VALID_FOR


def seat_freed(care: Area) -> uuid.UUID:
    """Someone of those placed (counted in the area already) leaves; returns the offer on their seat."""
    leaving = Participant.placed_on_enrolment(enrolment(CARE), CARE, WORKSHOP[CARE])
    decision = when_participant_exited_free_seat_and_offer_next(
        Exit(leaving.participant_id, TODAY), leaving, {CARE: care}, POLICY, TODAY, NOW
    )
    [offered] = [event for event in decision.events if isinstance(event, Offered)]
    return offered.offer_id


def offered_to(events: Sequence[object]) -> list[uuid.UUID]:
    return [event.participant_id for event in events if isinstance(event, Offered)]


def test_an_accepted_offer_places_its_holder_from_the_waitlist_in_its_workshop() -> None:
    care = area_of(CARE, seats=1, placed=1)
    first, second = waiting_in(care, 2)
    offer_id = seat_freed(care)
    decision = when_offer_accepted(offer_id, care, first, POLICY, TODAY, LATER, by="carla.case")

    assert decision.events == [
        Placed(
            first.participant_id,
            CARE,
            TODAY,
            from_waitlist=True,
            workshop_id=WORKSHOP[CARE],
            kind=PlacementKind.OFFER_ACCEPTED,
            offer_id=offer_id,
        )
    ]
    assert decision.changed == [first]
    assert (first.status, first.workshop_id, first.placed_on, first.from_waitlist) == (
        PlacementStatus.PLACED,
        WORKSHOP[CARE],
        TODAY,
        True,
    )
    assert care.waitlist.position_of(second.participant_id) == 1
    seats = care.seats_of(WORKSHOP[CARE])
    assert (seats.placed, seats.open_offers, seats.vacancies) == (1, 0, [])
    offer = next(offer for offer in care.changed_offers if offer.offer_id == offer_id)
    assert (offer.status, offer.answered_at, offer.answered_by) == (OfferStatus.ACCEPTED, LATER, "carla.case")
    [vacancy] = [v for v in care.changed_vacancies if v.vacancy_id == offer.vacancy_id]
    assert vacancy.status is VacancyStatus.FILLED


def test_a_declined_offer_passes_the_seat_to_the_next_in_line() -> None:
    care = area_of(CARE, seats=1, placed=1)
    first, second, _ = waiting_in(care, 3)
    offer_id = seat_freed(care)
    decision = when_offer_declined(offer_id, OfferDeclineReason.NOT_INTERESTED, care, POLICY, LATER, by="kim")

    [declined, passed_on] = decision.events
    assert declined == OfferDeclined(
        first.participant_id, offer_id, WORKSHOP[CARE], CARE, OfferDeclineReason.NOT_INTERESTED, LATER
    )
    assert isinstance(passed_on, Offered)
    assert (passed_on.participant_id, passed_on.expires_at) == (second.participant_id, LATER + VALID_FOR)
    assert first.status is PlacementStatus.WAITLISTED
    assert care.waitlist.position_of(first.participant_id) == 1  # keeps their place


def test_a_decliner_is_not_offered_the_same_seat_again_but_gets_the_next_one() -> None:
    care = area_of(CARE, seats=2, placed=2)
    [decliner] = waiting_in(care, 1)
    offer_id = seat_freed(care)
    decline = when_offer_declined(
        offer_id, OfferDeclineReason.SCHEDULE_DOES_NOT_FIT, care, POLICY, LATER, "kim"
    )
    assert offered_to(decline.events) == []  # nobody else waits: the seat stays free
    assert care.seats_of(WORKSHOP[CARE]).free_seats == 1

    next_seat = seat_freed(care)  # another seat frees later
    assert care.open_offer(next_seat).participant_id == decliner.participant_id


def test_an_offer_not_answered_in_time_expires_and_passes_on() -> None:
    care = area_of(CARE, seats=1, placed=1)
    first, second = waiting_in(care, 2)
    offer_id = seat_freed(care)
    with pytest.raises(OfferMustBeOpen, match="cannot expire before"):
        when_offer_expired(offer_id, care, POLICY, EXPIRED - dt.timedelta(seconds=1))
    decision = when_offer_expired(offer_id, care, POLICY, EXPIRED)

    [expired, passed_on] = decision.events
    assert expired == OfferExpired(first.participant_id, offer_id, WORKSHOP[CARE], CARE, EXPIRED)
    assert isinstance(passed_on, Offered)
    assert (passed_on.participant_id, passed_on.expires_at) == (second.participant_id, EXPIRED + VALID_FOR)
    assert care.waitlist.position_of(first.participant_id) == 1  # keeps their place for later seats


def test_an_expired_or_answered_offer_cannot_be_answered() -> None:
    care = area_of(CARE, seats=1, placed=1)
    holder, _ = waiting_in(care, 2)
    offer_id = seat_freed(care)
    with pytest.raises(OfferMustBeOpen, match="expired at"):
        when_offer_accepted(offer_id, care, holder, POLICY, TODAY, EXPIRED, by="kim")
    with pytest.raises(OfferMustBeOpen, match="expired at"):
        when_offer_declined(offer_id, OfferDeclineReason.OTHER, care, POLICY, EXPIRED, by="kim")
    when_offer_accepted(offer_id, care, holder, POLICY, TODAY, LATER, by="kim")
    with pytest.raises(OfferMustBeOpen, match="no longer open"):
        when_offer_declined(offer_id, OfferDeclineReason.OTHER, care, POLICY, LATER, by="kim")
    with pytest.raises(OfferMustBeOpen):
        when_offer_expired(offer_id, care, POLICY, EXPIRED)


def test_one_person_holds_one_offer_at_a_time_and_each_free_seat_one_offer() -> None:
    care = area_of(CARE, seats=2)
    first, second, third = waiting_in(care, 3)
    offered = care.offer_free_seats(NOW, VALID_FOR)
    assert [event.participant_id for event in offered] == [first.participant_id, second.participant_id]
    assert care.offer_free_seats(NOW, VALID_FOR) == []
    assert care.open_offer_of(third.participant_id) is None


def test_a_seat_nobody_suitable_waits_for_stays_free_for_the_next_enrolment() -> None:
    care = area_of(CARE, seats=1)
    assert care.offer_free_seats(NOW, VALID_FOR) == []
    assert care.workshop_with_free_seat() is care.seats_of(WORKSHOP[CARE])


def test_urgent_cases_are_offered_a_freed_seat_first() -> None:
    care = area_of(CARE, seats=1, placed=1)
    _, later = waiting_in(care, 2)
    later.mark_urgent(UrgencyReason.COURT_ORDER)
    care.waitlist.requeue(later)
    care.give_back_seat(WORKSHOP[CARE], NOW)
    [offered] = care.offer_free_seats(NOW, VALID_FOR)
    assert offered.participant_id == later.participant_id


def test_the_holder_of_an_offer_who_exits_gives_it_up_and_the_seat_passes_on() -> None:
    care = area_of(CARE, seats=1, placed=1)
    first, second = waiting_in(care, 2)
    offer_id = seat_freed(care)
    decision = when_participant_exited_free_seat_and_offer_next(
        Exit(first.participant_id, TODAY), first, {CARE: care}, POLICY, TODAY, LATER
    )
    [declined, passed_on] = decision.events
    assert isinstance(declined, OfferDeclined)
    assert (declined.offer_id, declined.reason) == (offer_id, OfferDeclineReason.PARTICIPANT_LEFT)
    assert isinstance(passed_on, Offered)
    assert passed_on.participant_id == second.participant_id
    assert first.status is PlacementStatus.LEFT_WAITLIST
    offer = next(offer for offer in care.changed_offers if offer.offer_id == offer_id)
    assert offer.answered_by is None


def test_accepting_needs_the_holder_on_the_waitlist() -> None:
    care = area_of(CARE, seats=1, placed=1)
    [holder] = waiting_in(care, 1)
    offer_id = seat_freed(care)
    with pytest.raises(WaitlistMustHoldParticipant, match="no longer waits"):
        when_offer_accepted(offer_id, care, None, POLICY, TODAY, LATER, by="kim")  # record not found
    care.waitlist.leave(holder.participant_id)
    with pytest.raises(WaitlistMustHoldParticipant, match="no longer waits"):
        when_offer_accepted(offer_id, care, holder, POLICY, TODAY, LATER, by="kim")
    assert isinstance(holder, Participant)
