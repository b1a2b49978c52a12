"""Who may be enrolled: every rule is checked, and a refusal names each one that failed.

A person is eligible on the enrolment day when they are within the programme's ages, have neither
finished vocational training nor work (as the intake interview found), have consented themselves to
the processing of their data, and — below the guardian age — their guardian has consented too. A
missing Jobcenter customer number is no reason to refuse anyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from intake.domain.age import OLDEST_AGE, YOUNGEST_AGE, age_on
from intake.domain.consent import Consent, ConsentGiver, has_active_consent
from werkstattnetz_shared.events.vocabulary import ConsentPurpose
from werkstattnetz_shared.rules import RuleFailure


@dataclass(frozen=True)
class EligibilityRules:
    youngest_age: int = YOUNGEST_AGE
    oldest_age: int = OLDEST_AGE
    guardian_consent_below_age: int = 16


@dataclass(frozen=True)
class InterviewFindings:
    has_completed_vocational_training: bool
    is_employed: bool


def eligibility_failures(
    rules: EligibilityRules,
    birth_date: dt.date,
    enrolled_on: dt.date,
    findings: InterviewFindings,
    consents: Sequence[Consent],
) -> list[RuleFailure]:
    failures = []
    age = age_on(birth_date, enrolled_on)
    if not rules.youngest_age <= age <= rules.oldest_age:
        failures.append(
            RuleFailure(
                "age_within_programme_range",
                "birth_date",
                f"the programme is for people aged {rules.youngest_age} to {rules.oldest_age}; "
                f"this person is {age} on {enrolled_on.isoformat()}",
            )
        )
    if findings.has_completed_vocational_training:
        failures.append(
            RuleFailure(
                "no_completed_vocational_training",
                "interview.has_completed_vocational_training",
                "the programme is for people without completed vocational training",
            )
        )
    if findings.is_employed:
        failures.append(
            RuleFailure("not_employed", "interview.is_employed", "the programme is for people without work")
        )
    # The person's own consent: a guardian's is asked for in addition below the guardian age,
    # never instead (a guardian's consent alone would let a minor be enrolled against their will).
    if not has_active_consent(consents, ConsentPurpose.DATA_PROCESSING, ConsentGiver.PARTICIPANT):
        failures.append(
            RuleFailure(
                "consent_to_data_processing_required",
                "consents",
                "enrolment needs the person's own consent to data processing, not withdrawn",
            )
        )
    if age < rules.guardian_consent_below_age and not has_active_consent(
        consents, ConsentPurpose.DATA_PROCESSING, ConsentGiver.GUARDIAN
    ):
        failures.append(
            RuleFailure(
                "guardian_consent_required_for_minor",
                "consents",
                f"below {rules.guardian_consent_below_age} a guardian's consent to data processing "
                "is needed in addition",
            )
        )
    return failures
