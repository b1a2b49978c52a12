"""Who may be enrolled: age on the enrolment day within the programme's limits, no completed
vocational training, no work, the person's own consent to data processing and — below the guardian
age — their guardian's in addition. Every rule is checked; a refusal names each that failed."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.domain.consent import Consent, ConsentGiver
from intake.domain.eligibility import EligibilityRules, InterviewFindings, eligibility_failures
from intake.domain.errors import NotEligible
from intake.domain.person import Person
from intake.domain.referral import ReferralStatus
from tests.unit.intake.builders import (
    JOBCENTER_ONLY,
    RULES,
    SUITABLE,
    TODAY,
    birth_date_for_age,
    consent,
    interview,
    person,
    referral_in,
)
from werkstattnetz_shared.events.vocabulary import ConsentPurpose

EVERY_RULE = [
    "age_within_programme_range",
    "no_completed_vocational_training",
    "not_employed",
    "consent_to_data_processing_required",
    "guardian_consent_required_for_minor",
]


def failed_rules(
    birth_date: dt.date,
    consents: list[Consent] | None = None,
    findings: InterviewFindings = SUITABLE,
    rules: EligibilityRules = RULES,
    enrolled_on: dt.date = TODAY,
) -> list[str]:
    young_person = person(birth_date)
    given = [consent(young_person)] if consents is None else consents
    return [f.rule for f in eligibility_failures(rules, birth_date, enrolled_on, findings, given)]


def own_and_guardians(young_person: Person) -> list[Consent]:
    return [consent(young_person), consent(young_person, given_by=ConsentGiver.GUARDIAN)]


def test_a_suitable_adult_with_consent_is_eligible() -> None:
    assert failed_rules(birth_date_for_age(20)) == []


def test_someone_without_a_jobcenter_customer_number_is_eligible() -> None:
    young_person = person(birth_date_for_age(19))
    assert young_person.known_details.jobcenter_customer_number is None
    rules = eligibility_failures(RULES, birth_date_for_age(19), TODAY, SUITABLE, [consent(young_person)])
    assert rules == []


@pytest.mark.parametrize(
    ("birth_date", "eligible"),
    [
        (TODAY.replace(year=TODAY.year - 15), True),  # 15th birthday on the enrolment day
        (TODAY.replace(year=TODAY.year - 15) + dt.timedelta(days=1), False),  # still 14
        (TODAY.replace(year=TODAY.year - 26) + dt.timedelta(days=1), True),  # 26 tomorrow
        (TODAY.replace(year=TODAY.year - 26), False),  # 26 today
    ],
)
def test_the_age_counts_on_the_enrolment_day(birth_date: dt.date, eligible: bool) -> None:
    young_person = person(birth_date)
    failures = failed_rules(birth_date, own_and_guardians(young_person))
    assert (failures == []) is eligible
    if not eligible:
        assert failures == ["age_within_programme_range"]


def test_the_age_is_that_on_the_enrolment_day_not_today() -> None:
    birth_date = TODAY.replace(year=TODAY.year - 26) - dt.timedelta(days=3)  # turned 26 three days ago
    young_person = person(birth_date)
    assert failed_rules(birth_date, enrolled_on=TODAY) == ["age_within_programme_range"]
    week_ago = TODAY - dt.timedelta(days=7)
    assert failed_rules(birth_date, [consent(young_person)], enrolled_on=week_ago) == []


def test_completed_vocational_training_is_refused() -> None:
    findings = InterviewFindings(has_completed_vocational_training=True, is_employed=False)
    assert failed_rules(birth_date_for_age(20), findings=findings) == ["no_completed_vocational_training"]


def test_work_is_refused() -> None:
    findings = InterviewFindings(has_completed_vocational_training=False, is_employed=True)
    assert failed_rules(birth_date_for_age(20), findings=findings) == ["not_employed"]


def test_without_consent_to_data_processing_nobody_is_enrolled() -> None:
    young_person = person(birth_date_for_age(20))
    other_purpose = consent(young_person, purpose=ConsentPurpose.SHARING_WITH_FUNDER)
    withdrawn = consent(young_person)
    withdrawn.withdraw(TODAY, today=TODAY)
    for consents in ([], [other_purpose], [withdrawn]):
        assert failed_rules(birth_date_for_age(20), consents) == ["consent_to_data_processing_required"]


def test_a_renewed_consent_after_a_withdrawal_counts() -> None:
    young_person = person(birth_date_for_age(20))
    withdrawn = consent(young_person)
    withdrawn.withdraw(TODAY, today=TODAY)
    assert failed_rules(birth_date_for_age(20), [withdrawn, consent(young_person, given_on=TODAY)]) == []


def test_below_the_guardian_age_a_guardians_consent_is_needed_in_addition() -> None:
    fifteen = birth_date_for_age(15)
    young_person = person(fifteen)
    assert failed_rules(fifteen, [consent(young_person)]) == ["guardian_consent_required_for_minor"]
    assert failed_rules(fifteen, own_and_guardians(young_person)) == []


def test_a_guardians_consent_does_not_replace_the_persons_own() -> None:
    fifteen = birth_date_for_age(15)
    guardians_only = [consent(person(fifteen), given_by=ConsentGiver.GUARDIAN)]
    assert failed_rules(fifteen, guardians_only) == ["consent_to_data_processing_required"]


def test_a_guardians_consent_must_be_to_data_processing_and_not_withdrawn() -> None:
    fifteen = birth_date_for_age(15)
    young_person = person(fifteen)
    for_sharing = consent(
        young_person, given_by=ConsentGiver.GUARDIAN, purpose=ConsentPurpose.SHARING_WITH_FUNDER
    )
    withdrawn = consent(young_person, given_by=ConsentGiver.GUARDIAN)
    withdrawn.withdraw(TODAY, today=TODAY)
    for guardians in (for_sharing, withdrawn):
        assert failed_rules(fifteen, [consent(young_person), guardians]) == [
            "guardian_consent_required_for_minor"
        ]


def test_from_the_guardian_age_on_the_persons_own_consent_is_enough() -> None:
    sixteen = birth_date_for_age(16)
    assert failed_rules(sixteen, [consent(person(sixteen))]) == []


def test_every_failed_rule_is_named_together() -> None:
    fourteen = birth_date_for_age(14)
    unsuitable = InterviewFindings(has_completed_vocational_training=True, is_employed=True)
    failures = eligibility_failures(RULES, fourteen, TODAY, unsuitable, [])
    assert [f.rule for f in failures] == EVERY_RULE
    assert [f.field for f in failures] == [
        "birth_date",
        "interview.has_completed_vocational_training",
        "interview.is_employed",
        "consents",
        "consents",
    ]
    assert "14" in failures[0].message


def test_the_limits_are_configurable() -> None:
    rules = EligibilityRules(youngest_age=16, oldest_age=18, guardian_consent_below_age=18)
    assert failed_rules(birth_date_for_age(15), rules=rules)[0] == "age_within_programme_range"
    assert failed_rules(birth_date_for_age(19), rules=rules) == ["age_within_programme_range"]
    seventeen = birth_date_for_age(17)
    assert failed_rules(seventeen, rules=rules) == ["guardian_consent_required_for_minor"]
    assert failed_rules(seventeen, own_and_guardians(person(seventeen)), rules=rules) == []
    assert failed_rules(birth_date_for_age(18), rules=rules) == []
    no_guardian_age = EligibilityRules(guardian_consent_below_age=0)
    assert failed_rules(birth_date_for_age(15), rules=no_guardian_age) == []


def test_an_ineligible_enrolment_names_every_failed_rule_and_changes_nothing() -> None:
    young_person = person(birth_date_for_age(14))
    made = referral_in(ReferralStatus.RECEIVED, young_person)
    unsuitable = InterviewFindings(has_completed_vocational_training=True, is_employed=True)
    made.record_interview(interview(unsuitable), today=TODAY)
    with pytest.raises(NotEligible) as refused:
        made.enrol(young_person, [], JOBCENTER_ONLY, TODAY, rules=RULES, today=TODAY)
    assert [f.rule for f in refused.value.failures()] == EVERY_RULE
    assert refused.value.rule == "eligibility_not_met"
    assert made.status is ReferralStatus.INTERVIEWED
    assert made.enrolment is None
