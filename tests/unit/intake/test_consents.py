"""Consents: who gave them (a guardian is named), when (not in the future), withdrawal once, and
whether staff must see that consent to data processing was withdrawn."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from intake.domain.consent import Consent, ConsentGiver, has_active_consent, withdrew_data_processing
from intake.domain.errors import (
    ConsentAlreadyWithdrawn,
    DateInFuture,
    GuardianNameRequired,
    WithdrawalBeforeConsent,
)
from tests.unit.intake.builders import RECEIVED_ON, TODAY, consent, person
from werkstattnetz_shared.events.vocabulary import ConsentPurpose

DATA_PROCESSING = ConsentPurpose.DATA_PROCESSING
SHARING = ConsentPurpose.SHARING_WITH_FUNDER
PARTICIPANT = ConsentGiver.PARTICIPANT
GUARDIAN = ConsentGiver.GUARDIAN


def given(given_by: ConsentGiver, guardian_name: str | None, given_on: dt.date = TODAY) -> Consent:
    return Consent.given(uuid.uuid4(), DATA_PROCESSING, given_on, given_by, guardian_name, today=TODAY)


def withdrawn(made: Consent, on: dt.date = TODAY) -> Consent:
    made.withdraw(on, today=TODAY)
    return made


@pytest.mark.parametrize("guardian_name", [None, ""])
def test_a_guardians_consent_names_the_guardian(guardian_name: str | None) -> None:
    with pytest.raises(GuardianNameRequired) as refused:
        given(GUARDIAN, guardian_name)
    assert (refused.value.rule, refused.value.field) == ("guardian_name_required", "guardian_name")
    assert given(GUARDIAN, "Sabine Krause").guardian_name == "Sabine Krause"


def test_a_persons_own_consent_keeps_no_guardian_name() -> None:
    own = given(PARTICIPANT, "Sabine Krause")
    assert own.guardian_name is None
    assert own.is_active


def test_a_consent_is_not_recorded_for_a_day_after_today() -> None:
    with pytest.raises(DateInFuture) as refused:
        given(PARTICIPANT, None, given_on=TODAY + dt.timedelta(days=1))
    assert refused.value.field == "given_on"


def test_a_consent_is_withdrawn_once() -> None:
    made = given(PARTICIPANT, None, given_on=RECEIVED_ON)
    made.withdraw(TODAY, today=TODAY)
    assert made.withdrawn_on == TODAY
    assert not made.is_active
    with pytest.raises(ConsentAlreadyWithdrawn) as refused:
        made.withdraw(TODAY, today=TODAY)
    assert refused.value.rule == "consent_withdrawn_once"
    assert made.withdrawn_on == TODAY


def test_a_withdrawal_is_not_recorded_for_a_day_after_today() -> None:
    made = given(PARTICIPANT, None)
    with pytest.raises(DateInFuture) as refused:
        made.withdraw(TODAY + dt.timedelta(days=1), today=TODAY)
    assert refused.value.field == "withdrawn_on"
    assert made.is_active


def test_a_withdrawal_dated_before_the_consent_is_refused() -> None:
    made = given(PARTICIPANT, None, given_on=TODAY)
    with pytest.raises(WithdrawalBeforeConsent):
        made.withdraw(RECEIVED_ON, today=TODAY)
    assert made.withdrawn_on is None


def test_active_consent_is_looked_up_by_purpose_and_giver() -> None:
    young_person = person()
    guardians = consent(young_person, given_by=GUARDIAN)
    sharing = consent(young_person, purpose=SHARING)
    assert has_active_consent([guardians], DATA_PROCESSING)
    assert has_active_consent([guardians], DATA_PROCESSING, GUARDIAN)
    assert not has_active_consent([guardians], DATA_PROCESSING, PARTICIPANT)
    assert not has_active_consent([sharing], DATA_PROCESSING)
    assert not has_active_consent([withdrawn(consent(young_person))], DATA_PROCESSING)


def test_staff_see_when_consent_to_data_processing_was_withdrawn() -> None:
    young_person = person()

    def own() -> Consent:
        return consent(young_person)

    def guardians() -> Consent:
        return consent(young_person, given_by=GUARDIAN)

    assert not withdrew_data_processing([])  # never given is not withdrawn
    assert not withdrew_data_processing([own()])
    assert not withdrew_data_processing([withdrawn(consent(young_person, purpose=SHARING)), own()])
    assert withdrew_data_processing([withdrawn(own())])
    assert not withdrew_data_processing([withdrawn(own()), own()])  # given again
    # A guardian's consent does not stand in for the person's own withdrawal, nor the other way.
    assert withdrew_data_processing([withdrawn(own()), guardians()])
    assert withdrew_data_processing([own(), withdrawn(guardians())])
    assert not withdrew_data_processing([own(), withdrawn(guardians()), guardians()])
