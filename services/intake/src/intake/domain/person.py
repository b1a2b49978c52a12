"""A referred young person: their personal data (intake is its only home) and who is responsible.

The participant id is minted when the person is first referred and never changes: it is the key
of every event about them, through enrolment and any later re-entry. After erasure the person is
only that id (counts and reports keep working; nobody can be identified).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from intake.domain.errors import ParticipantDataErased
from intake.domain.names import identity_key


@dataclass(frozen=True)
class PersonalDetails:
    first_name: str
    last_name: str
    birth_date: dt.date
    email: str | None = None
    phone: str | None = None
    jobcenter_customer_number: str | None = None  # many have none; they are accepted all the same

    @property
    def identity(self) -> tuple[str, dt.date]:
        return identity_key(self.first_name, self.last_name), self.birth_date

    def is_same_person_as(self, other: PersonalDetails) -> bool:
        return self.identity == other.identity


@dataclass
class Person:
    participant_id: uuid.UUID
    details: PersonalDetails | None  # None once erased
    caseworker: str | None = None
    erased_on: dt.date | None = None

    @classmethod
    def first_referred(cls, details: PersonalDetails) -> Person:
        return cls(participant_id=uuid.uuid4(), details=details)

    @property
    def is_erased(self) -> bool:
        return self.erased_on is not None

    @property
    def known_details(self) -> PersonalDetails:
        """The personal data; raises `ParticipantDataErased` once it is gone."""
        if self.details is None:
            raise ParticipantDataErased(f"the personal data of participant {self.participant_id} was erased")
        return self.details

    def require_not_erased(self) -> None:
        self.known_details  # noqa: B018 - the property raises for an erased person

    def update_contact(self, details: PersonalDetails) -> None:
        """A later referral may bring a new address or phone number (never a new identity)."""
        known = self.known_details
        self.details = PersonalDetails(
            first_name=known.first_name,
            last_name=known.last_name,
            birth_date=known.birth_date,
            email=details.email or known.email,
            phone=details.phone or known.phone,
            jobcenter_customer_number=details.jobcenter_customer_number or known.jobcenter_customer_number,
        )

    def assign_caseworker(self, caseworker: str) -> bool:
        """True when responsibility changed (an event is due), False when it was theirs already."""
        self.require_not_erased()  # nobody is assigned to an erased person
        if self.caseworker == caseworker:
            return False
        self.caseworker = caseworker
        return True

    def erase(self, on: dt.date) -> None:
        if self.is_erased:
            raise ParticipantDataErased(
                f"the personal data of participant {self.participant_id} was erased already"
            )
        self.details = None
        self.erased_on = on
