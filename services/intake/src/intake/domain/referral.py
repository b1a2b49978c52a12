"""A referral of a young person and its way through intake.

    received ──interview──▶ interviewed ──enrol──▶ enrolled ──(exit heard from outcomes)──▶ ended
        │                        │
        └──── reject / withdraw ─┴──▶ rejected | withdrawn

The interview may be recorded again while no decision is taken; every other transition is
allowed once, from the states the drawing shows, and a refusal names the current state.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from intake.domain.age import age_band, age_on
from intake.domain.consent import Consent
from intake.domain.eligibility import EligibilityRules, InterviewFindings, eligibility_failures
from intake.domain.errors import (
    DateBeforeReferral,
    DateInFuture,
    EnrolmentBeforePreviousExit,
    NotEligible,
    ReferralNotInRightState,
)
from intake.domain.funding import Funding
from intake.domain.person import Person
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    ReferralSource,
    RejectionReason,
    WithdrawalReason,
    WorkArea,
)


class ReferralStatus(StrEnum):
    RECEIVED = "received"
    INTERVIEWED = "interviewed"
    ENROLLED = "enrolled"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = frozenset({ReferralStatus.RECEIVED, ReferralStatus.INTERVIEWED})


@dataclass(frozen=True)
class Referrer:
    source: ReferralSource
    organisation: str | None = None
    contact_person: str | None = None


@dataclass(frozen=True)
class Interview:
    held_on: dt.date
    held_by: str
    findings: InterviewFindings
    note: str | None = None


@dataclass(frozen=True)
class Enrolment:
    """What enrolling decided: the coarse facts other services may know about this stay."""

    enrolment_id: uuid.UUID
    enrolled_on: dt.date
    age_band: AgeBand
    funding: Funding
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class Closing:
    """A rejection or a withdrawal: when, and the reason code."""

    on: dt.date
    reason: RejectionReason | WithdrawalReason


@dataclass
class Referral:
    referral_id: uuid.UUID
    participant_id: uuid.UUID
    referrer: Referrer
    received_on: dt.date
    received_at: dt.datetime
    preferred_work_areas: tuple[WorkArea, ...]
    re_entry: bool
    status: ReferralStatus = ReferralStatus.RECEIVED
    interview: Interview | None = None
    enrolment: Enrolment | None = None
    closing: Closing | None = None

    @classmethod
    def receive(
        cls,
        person: Person,
        referrer: Referrer,
        received_on: dt.date,
        preferred_work_areas: tuple[WorkArea, ...],
        *,
        re_entry: bool,
        now: dt.datetime,
        today: dt.date,
    ) -> Referral:
        if received_on > today:
            raise DateInFuture(
                f"a referral cannot be received on {received_on.isoformat()}, after today", "received_on"
            )
        return cls(
            referral_id=uuid.uuid4(),
            participant_id=person.participant_id,
            referrer=referrer,
            received_on=received_on,
            received_at=now,
            preferred_work_areas=preferred_work_areas,
            re_entry=re_entry,
        )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_active_enrolment(self) -> bool:
        return self.enrolment is not None and self.enrolment.ended_on is None

    def age_band_when_received(self, birth_date: dt.date) -> AgeBand:
        return age_band(age_on(birth_date, self.received_on))

    def record_interview(self, interview: Interview, *, today: dt.date) -> None:
        self._require_open("interview", "no interview after a decision")
        self._check_day(interview.held_on, "held_on", today)
        self.interview = interview
        self.status = ReferralStatus.INTERVIEWED

    def reject(self, reason: RejectionReason, on: dt.date, *, today: dt.date) -> None:
        self._require_open("reject", "only an open referral can be rejected")
        self._check_day(on, "rejected_on", today)
        self.closing = Closing(on, reason)
        self.status = ReferralStatus.REJECTED

    def withdraw(self, reason: WithdrawalReason, on: dt.date, *, today: dt.date) -> None:
        self._require_open("withdraw", "only an open referral can be withdrawn")
        self._check_day(on, "withdrawn_on", today)
        self.closing = Closing(on, reason)
        self.status = ReferralStatus.WITHDRAWN

    def enrol(
        self,
        person: Person,
        consents: Sequence[Consent],
        funding: Funding,
        enrolled_on: dt.date,
        *,
        rules: EligibilityRules,
        today: dt.date,
        previous_exit: dt.date | None = None,
    ) -> Enrolment:
        """Enrol as of `enrolled_on`, which lies between the day received and today (and, for a
        re-entry, not before the previous stay's exit); every eligibility rule is checked and a
        refusal names each one that failed."""
        if self.status is ReferralStatus.RECEIVED:
            raise ReferralNotInRightState(
                f"referral {self.referral_id} is received but not interviewed; record the intake "
                "interview before enrolling",
                "enrol_after_interview",
                self.status.value,
            )
        self._require_open("enrol", "only an interviewed referral can be enrolled, once")
        self._check_day(enrolled_on, "enrolled_on", today)
        if previous_exit is not None and enrolled_on < previous_exit:
            raise EnrolmentBeforePreviousExit(
                f"enrolled_on {enrolled_on.isoformat()} lies before the previous stay's exit "
                f"({previous_exit.isoformat()}); two stays do not overlap"
            )
        assert self.interview is not None  # interviewed
        birth_date = person.known_details.birth_date
        failures = eligibility_failures(rules, birth_date, enrolled_on, self.interview.findings, consents)
        if failures:
            raise NotEligible("; ".join(failure.message for failure in failures), failures)
        self.enrolment = Enrolment(
            enrolment_id=uuid.uuid4(),
            enrolled_on=enrolled_on,
            age_band=age_band(age_on(birth_date, enrolled_on)),
            funding=funding,
        )
        self.status = ReferralStatus.ENROLLED
        return self.enrolment

    def end_enrolment(self, exit_date: dt.date) -> bool:
        """The participant left the programme (outcomes recorded the exit); False if known already."""
        if self.enrolment is None or self.enrolment.ended_on is not None:
            return False
        self.enrolment = Enrolment(
            enrolment_id=self.enrolment.enrolment_id,
            enrolled_on=self.enrolment.enrolled_on,
            age_band=self.enrolment.age_band,
            funding=self.enrolment.funding,
            ended_on=exit_date,
        )
        return True

    def _require_open(self, action: str, why: str) -> None:
        if not self.is_open:
            raise ReferralNotInRightState(
                f"referral {self.referral_id} is {self.status.value}: {why}",
                f"{action}_only_while_open",
                self.status.value,
            )

    def _check_day(self, day: dt.date, field: str, today: dt.date) -> None:
        if day > today:
            raise DateInFuture(f"{field} {day.isoformat()} lies after today ({today.isoformat()})", field)
        if day < self.received_on:
            raise DateBeforeReferral(
                f"{field} {day.isoformat()} lies before the day the referral was received "
                f"({self.received_on.isoformat()})",
                field,
            )
