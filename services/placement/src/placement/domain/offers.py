"""Free seats (vacancies) and the offers made on them.

A vacancy is one free seat of a workshop, from the moment it is free until someone takes it (or
the seats are reduced). It keeps who has been offered it, so a person who declined a seat, or let
its offer expire, is not offered that same seat again; they keep their place on the waitlist for
every other seat. While an offer is open it holds its seat: nobody else can take it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from placement.domain.errors import OfferMustBeOpen
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason, WorkArea


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"


class VacancyStatus(StrEnum):
    OPEN = "open"  # the seat is free (an open offer may hold it)
    FILLED = "filled"  # someone took it
    WITHDRAWN = "withdrawn"  # the workshop's seats were reduced


@dataclass
class Offer:
    offer_id: uuid.UUID
    vacancy_id: uuid.UUID
    workshop_id: uuid.UUID
    work_area: WorkArea
    participant_id: uuid.UUID
    offered_at: dt.datetime
    expires_at: dt.datetime
    status: OfferStatus = OfferStatus.OPEN
    answered_at: dt.datetime | None = None
    answered_by: str | None = None
    """The staff member who accepted or declined; None when the timer or an exit closed it."""
    decline_reason: OfferDeclineReason | None = None

    @property
    def is_open(self) -> bool:
        return self.status is OfferStatus.OPEN

    def has_expired_by(self, now: dt.datetime) -> bool:
        return now >= self.expires_at

    def accept(self, now: dt.datetime, by: str) -> None:
        self._require_answerable(now)
        self._close(OfferStatus.ACCEPTED, now, by)

    def decline(self, reason: OfferDeclineReason, now: dt.datetime, by: str | None) -> None:
        """By staff (before the deadline), or by placement when the person left (`by` None)."""
        if by is not None:
            self._require_answerable(now)
        else:
            self._require_open()
        self.decline_reason = reason
        self._close(OfferStatus.DECLINED, now, by)

    def expire(self, now: dt.datetime) -> None:
        self._require_open()
        if not self.has_expired_by(now):
            raise OfferMustBeOpen(
                f"offer {self.offer_id} runs until {self.expires_at.isoformat()}; it cannot expire before"
            )
        self._close(OfferStatus.EXPIRED, now, None)

    def _require_answerable(self, now: dt.datetime) -> None:
        self._require_open()
        if self.has_expired_by(now):
            raise OfferMustBeOpen(
                f"offer {self.offer_id} expired at {self.expires_at.isoformat()}; its seat goes on"
            )

    def _require_open(self) -> None:
        if not self.is_open:
            raise OfferMustBeOpen(f"offer {self.offer_id} is {self.status.value} already")

    def _close(self, status: OfferStatus, now: dt.datetime, by: str | None) -> None:
        self.status = status
        self.answered_at = now
        self.answered_by = by


@dataclass
class Vacancy:
    vacancy_id: uuid.UUID
    workshop_id: uuid.UUID
    opened_at: dt.datetime
    status: VacancyStatus = VacancyStatus.OPEN
    closed_at: dt.datetime | None = None
    offered_to: frozenset[uuid.UUID] = frozenset()
    """Everyone this seat has been offered to, the open offer's holder included."""
    open_offer: Offer | None = None

    @property
    def is_held(self) -> bool:
        return self.open_offer is not None

    def may_be_offered_to(self, participant_id: uuid.UUID) -> bool:
        return participant_id not in self.offered_to

    def hold_for(self, offer: Offer) -> None:
        self.open_offer = offer
        self.offered_to = self.offered_to | {offer.participant_id}

    def release(self) -> None:
        """The open offer was answered or expired; the seat is free again (or taken, see `fill`)."""
        self.open_offer = None

    def fill(self, now: dt.datetime) -> None:
        self._close(VacancyStatus.FILLED, now)

    def withdraw(self, now: dt.datetime) -> None:
        self._close(VacancyStatus.WITHDRAWN, now)

    def _close(self, status: VacancyStatus, now: dt.datetime) -> None:
        self.status = status
        self.closed_at = now
        self.open_offer = None
