"""One work area as a decision sees it: its workshops with their seats, free seats and open
offers, and its waitlist. Only trustworthy inside the transaction that locked the area.

The seat rules:

- A workshop's free seats are its vacancies: `seats - placed` of them, each a seat nobody sits on.
- An open offer holds its vacancy: the seat counts as occupied until the offer is answered or
  expires (occupancy = placed + open offers, never above the seats).
- A free seat nobody holds is offered to the first person on the waitlist (fair order) who holds
  no other offer and has not been offered this seat before. When nobody like that waits, the
  seat stays free: the next enrolment takes it (or is offered it, in an area placed by hand).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from placement.domain.errors import (
    OfferMustBeOpen,
    SeatMustBeFree,
    SeatMustBeTaken,
    SeatsMustCoverOccupancy,
    WorkshopMustBeKnown,
)
from placement.domain.events import OfferDeclined, Offered, OfferExpired
from placement.domain.offers import Offer, Vacancy
from placement.domain.participant import Participant
from placement.domain.waitlist import Waitlist
from placement.domain.workshop import Workshop
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason, WorkArea


@dataclass
class WorkshopSeats:
    workshop: Workshop
    placed: int = 0
    vacancies: list[Vacancy] = field(default_factory=list)
    """The open vacancies (free seats, held by an offer or not), oldest first."""

    @property
    def workshop_id(self) -> uuid.UUID:
        return self.workshop.workshop_id

    @property
    def open_offers(self) -> int:
        return sum(1 for vacancy in self.vacancies if vacancy.is_held)

    @property
    def occupied(self) -> int:
        return self.placed + self.open_offers

    @property
    def free_seats(self) -> int:
        """Seats neither taken nor held by an offer (a lowered seat count frees none)."""
        return max(0, self.workshop.seats - self.occupied)


class Area:
    def __init__(self, work_area: WorkArea, workshops: list[WorkshopSeats], waitlist: Waitlist) -> None:
        self.work_area = work_area
        self.workshops = workshops
        self.waitlist = waitlist
        self._changed_vacancies: list[Vacancy] = []
        self._changed_offers: list[Offer] = []

    # What a decision changed, for the caller to save.

    @property
    def changed_vacancies(self) -> list[Vacancy]:
        return list(self._changed_vacancies)

    @property
    def changed_offers(self) -> list[Offer]:
        return list(self._changed_offers)

    # Seats.

    def seats_of(self, workshop_id: uuid.UUID) -> WorkshopSeats:
        for seats in self.workshops:
            if seats.workshop_id == workshop_id:
                return seats
        raise WorkshopMustBeKnown(f"workshop {workshop_id} is not one of {self.work_area.value}")

    def lead_of(self, workshop_id: uuid.UUID) -> str | None:
        return self.seats_of(workshop_id).workshop.lead_instructor

    def has_workshop(self, workshop_id: uuid.UUID) -> bool:
        return any(seats.workshop_id == workshop_id for seats in self.workshops)

    def workshop_with_free_seat(self) -> WorkshopSeats | None:
        """Where an enrolment placed on the spot sits: the workshop with the most free seats."""
        free = [seats for seats in self.workshops if seats.free_seats > 0]
        return min(free, key=lambda seats: (-seats.free_seats, seats.workshop.name), default=None)

    def take_seat(self, workshop_id: uuid.UUID, now: dt.datetime) -> None:
        """Someone sits down on a free seat no offer holds."""
        seats = self.seats_of(workshop_id)
        self._match_vacancies_to_seats(seats, now)
        vacancy = next((vacancy for vacancy in seats.vacancies if not vacancy.is_held), None)
        if vacancy is None or seats.free_seats == 0:
            raise SeatMustBeFree(
                f"workshop '{seats.workshop.name}' has no free seat: {seats.placed} placed and "
                f"{seats.open_offers} held by open offers on {seats.workshop.seats} seats"
            )
        vacancy.fill(now)
        seats.vacancies.remove(vacancy)
        seats.placed += 1
        self._vacancy_changed(vacancy)

    def give_back_seat(self, workshop_id: uuid.UUID, now: dt.datetime) -> None:
        seats = self.seats_of(workshop_id)
        if seats.placed == 0:
            raise SeatMustBeTaken(f"workshop '{seats.workshop.name}' has no taken seat to give back")
        seats.placed -= 1
        self._match_vacancies_to_seats(seats, now)

    def change_seats(self, workshop_id: uuid.UUID, seats_wanted: int, now: dt.datetime) -> None:
        seats = self.seats_of(workshop_id)
        if seats_wanted < seats.occupied:
            raise SeatsMustCoverOccupancy(
                f"workshop '{seats.workshop.name}' cannot shrink to {seats_wanted} seats: {seats.placed} "
                f"people sit there and {seats.open_offers} seats are held by open offers"
            )
        seats.workshop.seats = seats_wanted
        self._match_vacancies_to_seats(seats, now)

    # The waitlist and its offers.

    def open_offer_of(self, participant_id: uuid.UUID) -> Offer | None:
        return next((offer for offer in self._open_offers() if offer.participant_id == participant_id), None)

    def open_offer(self, offer_id: uuid.UUID) -> Offer:
        offer = next((offer for offer in self._open_offers() if offer.offer_id == offer_id), None)
        if offer is None:
            raise OfferMustBeOpen(f"offer {offer_id} is no longer open")
        return offer

    def leave_waitlist(self, participant_id: uuid.UUID, now: dt.datetime) -> list[OfferDeclined]:
        """Someone waiting leaves (their exit); an offer they hold is declined on their behalf."""
        self.waitlist.leave(participant_id)
        offer = self.open_offer_of(participant_id)
        if offer is None:
            return []
        return [self.decline(offer.offer_id, OfferDeclineReason.PARTICIPANT_LEFT, now, by=None)]

    def offer_free_seats(self, now: dt.datetime, valid_for: dt.timedelta) -> list[Offered]:
        """Every free seat nobody holds goes, as an offer, to the first suitable person waiting."""
        for seats in self.workshops:
            self._match_vacancies_to_seats(seats, now)
        holders = {offer.participant_id for offer in self._open_offers()}
        offered: list[Offered] = []
        free = sorted(
            (vacancy for seats in self.workshops for vacancy in seats.vacancies if not vacancy.is_held),
            key=lambda vacancy: (vacancy.opened_at, vacancy.vacancy_id),
        )
        for vacancy in free:
            suitable = (
                place
                for place in self.waitlist.waiting
                if place.participant_id not in holders and vacancy.may_be_offered_to(place.participant_id)
            )
            if (place := next(suitable, None)) is None:
                continue
            offer = Offer(
                offer_id=uuid.uuid4(),
                vacancy_id=vacancy.vacancy_id,
                workshop_id=vacancy.workshop_id,
                work_area=self.work_area,
                participant_id=place.participant_id,
                offered_at=now,
                expires_at=now + valid_for,
            )
            vacancy.hold_for(offer)
            holders.add(place.participant_id)
            self._vacancy_changed(vacancy)
            self._offer_changed(offer)
            offered.append(
                Offered(
                    place.participant_id,
                    offer.offer_id,
                    offer.workshop_id,
                    self.work_area,
                    now,
                    offer.expires_at,
                )
            )
        return offered

    def accept(self, offer_id: uuid.UUID, participant: Participant, now: dt.datetime, by: str) -> Offer:
        """The offer's holder takes its seat (and leaves the waitlist); the caller seats them."""
        vacancy, seats = self._holding(offer_id)
        offer = self.open_offer(offer_id)
        offer.accept(now, by)
        vacancy.fill(now)
        seats.vacancies.remove(vacancy)
        seats.placed += 1
        self.waitlist.leave(participant.participant_id)
        self._vacancy_changed(vacancy)
        self._offer_changed(offer)
        return offer

    def decline(
        self, offer_id: uuid.UUID, reason: OfferDeclineReason, now: dt.datetime, by: str | None
    ) -> OfferDeclined:
        vacancy, _ = self._holding(offer_id)
        offer = self.open_offer(offer_id)
        offer.decline(reason, now, by)
        vacancy.release()
        self._vacancy_changed(vacancy)
        self._offer_changed(offer)
        return OfferDeclined(offer.participant_id, offer_id, offer.workshop_id, self.work_area, reason, now)

    def expire(self, offer_id: uuid.UUID, now: dt.datetime) -> OfferExpired:
        vacancy, _ = self._holding(offer_id)
        offer = self.open_offer(offer_id)
        offer.expire(now)
        vacancy.release()
        self._vacancy_changed(vacancy)
        self._offer_changed(offer)
        return OfferExpired(
            offer.participant_id, offer_id, offer.workshop_id, self.work_area, offer.expires_at
        )

    def _open_offers(self) -> list[Offer]:
        return [
            vacancy.open_offer
            for seats in self.workshops
            for vacancy in seats.vacancies
            if vacancy.open_offer is not None
        ]

    def _holding(self, offer_id: uuid.UUID) -> tuple[Vacancy, WorkshopSeats]:
        for seats in self.workshops:
            for vacancy in seats.vacancies:
                if vacancy.open_offer is not None and vacancy.open_offer.offer_id == offer_id:
                    return vacancy, seats
        raise OfferMustBeOpen(f"offer {offer_id} is no longer open")

    def _match_vacancies_to_seats(self, seats: WorkshopSeats, now: dt.datetime) -> None:
        """One open vacancy per seat nobody sits on: opened when a seat frees, withdrawn (never one
        an offer holds) when seats are reduced."""
        wanted = max(0, seats.workshop.seats - seats.placed)
        while len(seats.vacancies) < wanted:
            vacancy = Vacancy(uuid.uuid4(), seats.workshop_id, opened_at=now)
            seats.vacancies.append(vacancy)
            self._vacancy_changed(vacancy)
        for vacancy in [vacancy for vacancy in reversed(seats.vacancies) if not vacancy.is_held]:
            if len(seats.vacancies) <= wanted:
                break
            vacancy.withdraw(now)
            seats.vacancies.remove(vacancy)
            self._vacancy_changed(vacancy)

    def _vacancy_changed(self, vacancy: Vacancy) -> None:
        if all(other is not vacancy for other in self._changed_vacancies):
            self._changed_vacancies.append(vacancy)

    def _offer_changed(self, offer: Offer) -> None:
        if all(other is not offer for other in self._changed_offers):
            self._changed_offers.append(offer)
