"""A referral of a young person and its enrolment.

The referral holds the personal data; enrolment mints a random participant id, which is all other
services ever learn about the person (plus coarse attributes).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from intake.domain.age import OLDEST_AGE, YOUNGEST_AGE, age_band, age_on
from intake.domain.errors import (
    ConsentMissing,
    EnrolmentDateBeforeReferral,
    EnrolmentDateInFuture,
    PersonOutsideAgeRange,
    ReferralAlreadyEnrolled,
)
from werkstattnetz_shared.events.vocabulary import AgeBand, Funder, ReferralSource, WorkArea


class ReferralStatus(StrEnum):
    RECEIVED = "received"
    ENROLLED = "enrolled"


@dataclass(frozen=True)
class PersonalDetails:
    first_name: str
    last_name: str
    birth_date: dt.date
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Enrolment:
    """What enrolling decided: the new participant id and the coarse facts others may know."""

    participant_id: uuid.UUID
    enrolled_on: dt.date
    age_band: AgeBand
    referral_source: ReferralSource
    funder: Funder
    preferred_work_areas: tuple[WorkArea, ...]


@dataclass
class Referral:
    referral_id: uuid.UUID
    person: PersonalDetails
    referral_source: ReferralSource
    funder: Funder
    preferred_work_areas: tuple[WorkArea, ...]
    consent_to_data_processing: bool
    received_at: dt.datetime
    status: ReferralStatus = ReferralStatus.RECEIVED
    enrolment: Enrolment | None = field(default=None)

    @classmethod
    def receive(
        cls,
        person: PersonalDetails,
        referral_source: ReferralSource,
        funder: Funder,
        preferred_work_areas: tuple[WorkArea, ...],
        consent_to_data_processing: bool,
        received_at: dt.datetime,
    ) -> Referral:
        return cls(
            referral_id=uuid.uuid4(),
            person=person,
            referral_source=referral_source,
            funder=funder,
            preferred_work_areas=preferred_work_areas,
            consent_to_data_processing=consent_to_data_processing,
            received_at=received_at,
        )

    def enrol(self, enrolled_on: dt.date, *, today: dt.date, timezone: dt.tzinfo) -> Enrolment:
        """Enrol the person as of `enrolled_on`; the rules are checked in the order a caseworker would.

        `today` and `timezone` are the programme's: the enrolment day lies between the day the
        referral was received there and today. Older records come in through an import, not here.
        """
        if self.enrolment is not None:
            raise ReferralAlreadyEnrolled(
                f"referral {self.referral_id} is already enrolled as participant "
                f"{self.enrolment.participant_id}"
            )
        if enrolled_on > today:
            raise EnrolmentDateInFuture(
                f"the enrolment date {enrolled_on.isoformat()} lies after today ({today.isoformat()})"
            )
        received_on = self.received_at.astimezone(timezone).date()
        if enrolled_on < received_on:
            raise EnrolmentDateBeforeReferral(
                f"the enrolment date {enrolled_on.isoformat()} lies before the day the referral was "
                f"received ({received_on.isoformat()})"
            )
        age = age_on(self.person.birth_date, enrolled_on)
        if not YOUNGEST_AGE <= age <= OLDEST_AGE:
            raise PersonOutsideAgeRange(
                f"the programme is for people aged {YOUNGEST_AGE} to {OLDEST_AGE}; "
                f"this person is {age} on {enrolled_on.isoformat()}"
            )
        if not self.consent_to_data_processing:
            raise ConsentMissing("enrolment needs the person's consent to data processing")
        self.enrolment = Enrolment(
            participant_id=uuid.uuid4(),
            enrolled_on=enrolled_on,
            age_band=age_band(age),
            referral_source=self.referral_source,
            funder=self.funder,
            preferred_work_areas=self.preferred_work_areas,
        )
        self.status = ReferralStatus.ENROLLED
        return self.enrolment

    def record_consent(self) -> None:
        self.consent_to_data_processing = True
