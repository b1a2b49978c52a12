"""A person across referrals: when they may be referred again (re-entry), what a later referral may
change, the responsible caseworker, and erasure."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from intake.domain.errors import (
    CurrentlyEnrolled,
    EnrolmentBeforePreviousExit,
    OpenReferralExists,
    ParticipantDataErased,
)
from intake.domain.person import Person, PersonalDetails
from intake.domain.re_entry import check_may_be_referred_again
from intake.domain.referral import Referral, ReferralStatus
from tests.unit.intake.builders import JOBCENTER_ONLY, RULES, TODAY, consent, person, referral_in

S = ReferralStatus


def earlier(young_person: Person, *statuses: ReferralStatus) -> list[Referral]:
    return [referral_in(status, young_person) for status in statuses]


def test_a_person_gets_a_new_participant_id_when_first_referred() -> None:
    details = PersonalDetails("Mia", "Krause", dt.date(2006, 4, 12))
    assert Person.first_referred(details).participant_id != Person.first_referred(details).participant_id


@pytest.mark.parametrize(
    "statuses",
    [(), (S.REJECTED,), (S.WITHDRAWN,), (S.REJECTED, S.WITHDRAWN)],
)
def test_a_person_whose_referrals_were_decided_may_be_referred_again(
    statuses: tuple[ReferralStatus, ...],
) -> None:
    young_person = person()
    check_may_be_referred_again(young_person, earlier(young_person, *statuses))


@pytest.mark.parametrize("open_status", [S.RECEIVED, S.INTERVIEWED])
def test_not_while_a_referral_is_open(open_status: ReferralStatus) -> None:
    young_person = person()
    with pytest.raises(OpenReferralExists) as refused:
        check_may_be_referred_again(young_person, earlier(young_person, S.REJECTED, open_status))
    assert refused.value.rule == "one_open_referral_per_person"
    assert open_status.value in refused.value.message


def test_not_while_enrolled_and_no_exit_was_heard() -> None:
    young_person = person()
    referrals = earlier(young_person, S.ENROLLED)
    with pytest.raises(CurrentlyEnrolled) as refused:
        check_may_be_referred_again(young_person, referrals)
    assert refused.value.rule == "not_currently_enrolled"
    referrals[0].end_enrolment(TODAY)
    check_may_be_referred_again(young_person, referrals)  # after the exit: a re-entry


def test_not_once_the_persons_data_was_erased() -> None:
    young_person = person()
    young_person.erase(TODAY)
    with pytest.raises(ParticipantDataErased):
        check_may_be_referred_again(young_person, [])


def test_a_later_referral_may_bring_new_contact_data_but_never_a_new_identity() -> None:
    young_person = person()
    known = young_person.known_details
    young_person.update_contact(
        PersonalDetails("Other", "Name", dt.date(2001, 1, 1), email="new@example.org", phone=None)
    )
    details = young_person.known_details
    assert (details.first_name, details.last_name, details.birth_date) == (
        known.first_name,
        known.last_name,
        known.birth_date,
    )
    assert details.email == "new@example.org"
    young_person.update_contact(dataclasses.replace(known, jobcenter_customer_number="123D456"))
    assert young_person.known_details.email == "new@example.org"  # not blanked by a referral without one
    assert young_person.known_details.jobcenter_customer_number == "123D456"


def test_assigning_a_caseworker_tells_whether_responsibility_changed() -> None:
    young_person = person()
    assert young_person.assign_caseworker("cara.caseworker") is True
    assert young_person.assign_caseworker("cara.caseworker") is False
    assert young_person.assign_caseworker("otto.caseworker") is True
    assert young_person.caseworker == "otto.caseworker"


def test_erasure_leaves_only_the_participant_id_once() -> None:
    young_person = person(caseworker="cara.caseworker")
    participant_id = young_person.participant_id
    young_person.erase(TODAY)
    assert young_person.is_erased
    assert young_person.details is None
    assert young_person.participant_id == participant_id
    with pytest.raises(ParticipantDataErased):
        young_person.known_details  # noqa: B018 - the property raises
    with pytest.raises(ParticipantDataErased):
        young_person.erase(TODAY)
    with pytest.raises(ParticipantDataErased):
        young_person.assign_caseworker("otto.caseworker")
    with pytest.raises(ParticipantDataErased):
        young_person.update_contact(PersonalDetails("Mia", "Krause", dt.date(2006, 4, 12)))


def test_a_re_entry_is_not_enrolled_before_the_previous_stay_ended() -> None:
    young_person = person()
    returning = referral_in(S.INTERVIEWED, young_person)
    exit_day = TODAY - dt.timedelta(days=1)
    with pytest.raises(EnrolmentBeforePreviousExit):
        returning.enrol(
            young_person,
            [consent(young_person)],
            JOBCENTER_ONLY,
            exit_day - dt.timedelta(days=1),
            rules=RULES,
            today=TODAY,
            previous_exit=exit_day,
        )
    assert returning.enrolment is None
    returning.enrol(
        young_person,
        [consent(young_person)],
        JOBCENTER_ONLY,
        exit_day,
        rules=RULES,
        today=TODAY,
        previous_exit=exit_day,
    )
    assert returning.enrolment is not None
