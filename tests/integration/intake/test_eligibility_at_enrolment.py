"""Eligibility at enrolment through intake's API: a refusal is one 422 naming every rule that
failed, the age counts on the enrolment day, minors below the guardian age need their guardian's
consent too, the limits come from the settings, and nobody needs a Jobcenter customer number."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.integration.intake.conftest import IntakeUnderTest, intake_running
from tests.support.intake_flows import (
    MANAGER,
    consent,
    enrol,
    interview,
    refer,
    years_ago,
)
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

pytestmark = pytest.mark.integration

EVERY_RULE = {
    ("age_within_programme_range", "birth_date"),
    ("no_completed_vocational_training", "interview.has_completed_vocational_training"),
    ("not_employed", "interview.is_employed"),
    ("consent_to_data_processing_required", "consents"),
    ("guardian_consent_required_for_minor", "consents"),
}


async def interviewed(
    intake: IntakeUnderTest, birth_date: dt.date, first_name: str = "Mia", **overrides: Any
) -> tuple[str, str]:
    """(participant_id, referral_id) of someone referred 10 days ago and interviewed."""
    received = await refer(
        intake.client,
        first_name=first_name,
        birth_date=birth_date.isoformat(),
        received_on=(intake.today - dt.timedelta(days=10)).isoformat(),
    )
    await interview(intake.client, received["referral_id"], **overrides)
    return received["participant_id"], received["referral_id"]


def failed_rules(response_json: dict[str, object]) -> set[tuple[str, str]]:
    error = response_json["error"]
    assert isinstance(error, dict)
    return {(detail["rule"], detail["field"]) for detail in error["details"]}


async def test_a_refusal_names_every_rule_that_failed_and_writes_nothing(intake: IntakeUnderTest) -> None:
    _, referral_id = await interviewed(
        intake,
        years_ago(intake.today, 14, days=30),
        has_completed_vocational_training=True,
        is_employed=True,
    )
    outbox_before = await intake.value("SELECT count(*) FROM outbox")
    audit_before = await intake.value("SELECT count(*) FROM audit_log")

    refused = await enrol(intake.client, referral_id)

    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "eligibility_not_met"
    assert failed_rules(refused.json()) == EVERY_RULE
    status = await intake.value("SELECT status FROM referrals WHERE referral_id = $1::uuid", referral_id)
    assert status == "interviewed"
    assert await intake.value("SELECT count(*) FROM outbox") == outbox_before
    assert await intake.value("SELECT count(*) FROM audit_log") == audit_before


async def test_the_age_counts_on_the_enrolment_day(intake: IntakeUnderTest) -> None:
    # Turned 15 three days ago: 14 on a day a week ago, 15 today.
    participant_id, referral_id = await interviewed(intake, years_ago(intake.today, 15, days=3))
    await consent(intake.client, participant_id)
    await consent(intake.client, participant_id, given_by="guardian")

    too_early = await enrol(intake.client, referral_id, enrolled_on=intake.today - dt.timedelta(days=7))
    assert too_early.status_code == 422, too_early.text
    assert failed_rules(too_early.json()) == {("age_within_programme_range", "birth_date")}
    assert "14" in too_early.json()["error"]["details"][0]["message"]

    today = await enrol(intake.client, referral_id)
    assert today.status_code == 201, today.text
    assert today.json()["enrolment"]["age_band"] == "15-17"


async def test_someone_who_turned_26_may_be_enrolled_as_of_a_day_they_were_25(
    intake: IntakeUnderTest,
) -> None:
    participant_id, referral_id = await interviewed(intake, years_ago(intake.today, 26, days=3))
    await consent(intake.client, participant_id)
    assert (await enrol(intake.client, referral_id)).status_code == 422
    backdated = await enrol(intake.client, referral_id, enrolled_on=intake.today - dt.timedelta(days=5))
    assert backdated.status_code == 201, backdated.text
    assert backdated.json()["enrolment"]["age_band"] == "21-25"


async def test_a_minor_below_16_needs_a_guardians_consent_in_addition(intake: IntakeUnderTest) -> None:
    participant_id, referral_id = await interviewed(intake, years_ago(intake.today, 15, days=40))

    await consent(intake.client, participant_id, given_by="guardian")
    guardian_only = await enrol(intake.client, referral_id)
    assert guardian_only.status_code == 422
    assert failed_rules(guardian_only.json()) == {("consent_to_data_processing_required", "consents")}

    await consent(intake.client, participant_id)
    assert (await enrol(intake.client, referral_id)).status_code == 201


async def test_a_minor_below_16_without_a_guardians_consent_is_refused_with_its_own_rule(
    intake: IntakeUnderTest,
) -> None:
    participant_id, referral_id = await interviewed(intake, years_ago(intake.today, 15, days=40))
    await consent(intake.client, participant_id)
    refused = await enrol(intake.client, referral_id)
    assert refused.status_code == 422
    assert failed_rules(refused.json()) == {("guardian_consent_required_for_minor", "consents")}


async def test_from_16_the_persons_own_consent_is_enough(intake: IntakeUnderTest) -> None:
    participant_id, referral_id = await interviewed(intake, years_ago(intake.today, 16))
    await consent(intake.client, participant_id)
    assert (await enrol(intake.client, referral_id)).status_code == 201


async def test_the_limits_come_from_the_settings(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELIGIBLE_AGE_MIN", "16")
    monkeypatch.setenv("ELIGIBLE_AGE_MAX", "18")
    monkeypatch.setenv("GUARDIAN_CONSENT_BELOW_AGE", "18")
    async with intake_running(kafka_broker, postgres_server) as intake:
        assert intake.settings.eligibility_rules.youngest_age == 16
        answers = {}
        for age, givers in (
            (15, ("participant", "guardian")),
            (17, ("participant",)),
            (19, ("participant",)),
        ):
            participant_id, referral_id = await interviewed(intake, years_ago(intake.today, age, days=20))
            for giver in givers:
                await consent(intake.client, participant_id, given_by=giver)
            answers[age] = await enrol(intake.client, referral_id)

        assert {age: failed_rules(answer.json()) for age, answer in answers.items()} == {
            15: {("age_within_programme_range", "birth_date")},
            17: {("guardian_consent_required_for_minor", "consents")},
            19: {("age_within_programme_range", "birth_date")},
        }
        born = years_ago(intake.today, 17, days=20)
        participant_id, referral_id = await interviewed(intake, born, first_name="Lea")
        await consent(intake.client, participant_id)
        await consent(intake.client, participant_id, given_by="guardian")
        assert (await enrol(intake.client, referral_id)).status_code == 201


async def test_people_without_a_jobcenter_customer_number_are_accepted(intake: IntakeUnderTest) -> None:
    without = await refer(intake.client, referral_source="jobcenter")
    await interview(intake.client, without["referral_id"])
    await consent(intake.client, without["participant_id"])
    enrolled = await enrol(intake.client, without["referral_id"])
    assert enrolled.status_code == 201, enrolled.text
    view = await intake.client.get(f"/v1/participants/{without['participant_id']}", headers=MANAGER)
    assert view.json()["jobcenter_customer_number"] is None

    with_number = await refer(
        intake.client, first_name="Jonas", jobcenter_customer_number="123D456789", referral_source="self"
    )
    view = await intake.client.get(f"/v1/participants/{with_number['participant_id']}", headers=MANAGER)
    assert view.json()["jobcenter_customer_number"] == "123D456789"
