"""Small builders for intake's domain tests: a person, a referral in any state, consents, funding."""

from __future__ import annotations

import datetime as dt

from intake.domain.consent import Consent, ConsentGiver
from intake.domain.eligibility import EligibilityRules, InterviewFindings
from intake.domain.funding import Funding, FundingShare
from intake.domain.person import Person, PersonalDetails
from intake.domain.referral import Interview, Referral, ReferralStatus, Referrer
from werkstattnetz_shared.events.vocabulary import (
    ConsentPurpose,
    Funder,
    LegalBasis,
    ReferralSource,
    RejectionReason,
    WithdrawalReason,
    WorkArea,
)

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
RECEIVED_ON = dt.date(2026, 11, 2)
ADULT_BIRTH_DATE = dt.date(2006, 4, 12)  # 20 on TODAY
RULES = EligibilityRules()
JOBCENTER_ONLY = Funding.of([FundingShare(Funder.JOBCENTER, LegalBasis.SGB2_16_ACTIVATION, 100)])
SUITABLE = InterviewFindings(has_completed_vocational_training=False, is_employed=False)


def birth_date_for_age(age: int, on: dt.date = TODAY) -> dt.date:
    """Someone who turned `age` exactly one day before `on`."""
    return on.replace(year=on.year - age) - dt.timedelta(days=1)


def person(birth_date: dt.date = ADULT_BIRTH_DATE, caseworker: str | None = None) -> Person:
    young_person = Person.first_referred(
        PersonalDetails(first_name="Mia", last_name="Krause", birth_date=birth_date)
    )
    young_person.caseworker = caseworker
    return young_person


def referral(of: Person | None = None, *, received_on: dt.date = RECEIVED_ON) -> Referral:
    return Referral.receive(
        of or person(),
        Referrer(ReferralSource.JOBCENTER, "Jobcenter Leipzig", "Frau Berger"),
        received_on,
        (WorkArea.CARE, WorkArea.GARDEN_LANDSCAPE),
        re_entry=False,
        now=NOW,
        today=TODAY,
    )


def interview(findings: InterviewFindings = SUITABLE, held_on: dt.date = RECEIVED_ON) -> Interview:
    return Interview(held_on=held_on, held_by="ines.intake", findings=findings, note="motivated")


def consent(
    of: Person,
    *,
    given_by: ConsentGiver = ConsentGiver.PARTICIPANT,
    purpose: ConsentPurpose = ConsentPurpose.DATA_PROCESSING,
    given_on: dt.date = RECEIVED_ON,
) -> Consent:
    guardian_name = "Sabine Krause" if given_by is ConsentGiver.GUARDIAN else None
    return Consent.given(of.participant_id, purpose, given_on, given_by, guardian_name, today=TODAY)


def referral_in(status: ReferralStatus, of: Person | None = None) -> Referral:
    """A referral brought into `status` the way the workflow does it."""
    young_person = of or person()
    made = referral(young_person)
    if status is ReferralStatus.RECEIVED:
        return made
    if status is ReferralStatus.REJECTED:
        made.reject(RejectionReason.OTHER, RECEIVED_ON, today=TODAY)
        return made
    if status is ReferralStatus.WITHDRAWN:
        made.withdraw(WithdrawalReason.MOVED_AWAY, RECEIVED_ON, today=TODAY)
        return made
    made.record_interview(interview(), today=TODAY)
    if status is ReferralStatus.ENROLLED:
        made.enrol(young_person, [consent(young_person)], JOBCENTER_ONLY, TODAY, rules=RULES, today=TODAY)
    return made
