"""A referral's way through intake: every transition from every state, allowed or refused naming
the current state, and the dates a transition may carry (not in the future, not before the
referral was received)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from intake.domain.errors import (
    DateBeforeReferral,
    DateInFuture,
    NotEligible,
    ParticipantDataErased,
    ReferralNotInRightState,
)
from intake.domain.person import Person
from intake.domain.referral import Referral, ReferralStatus
from tests.unit.intake.builders import (
    JOBCENTER_ONLY,
    RECEIVED_ON,
    RULES,
    TODAY,
    consent,
    interview,
    person,
    referral,
    referral_in,
)
from werkstattnetz_shared.events.vocabulary import AgeBand, RejectionReason, WithdrawalReason

Action = Callable[[Referral, Person, dt.date], object]

ACTIONS: dict[str, Action] = {
    "interview": lambda made, _, on: made.record_interview(interview(held_on=on), today=TODAY),
    "reject": lambda made, _, on: made.reject(RejectionReason.NOT_REACHABLE, on, today=TODAY),
    "withdraw": lambda made, _, on: made.withdraw(WithdrawalReason.DECLINED_BY_PERSON, on, today=TODAY),
    "enrol": lambda made, who, on: made.enrol(
        who, [consent(who)], JOBCENTER_ONLY, on, rules=RULES, today=TODAY
    ),
}
DATE_FIELD = {
    "interview": "held_on",
    "reject": "rejected_on",
    "withdraw": "withdrawn_on",
    "enrol": "enrolled_on",
}

S = ReferralStatus
ALLOWED = {
    (S.RECEIVED, "interview"): S.INTERVIEWED,
    (S.RECEIVED, "reject"): S.REJECTED,
    (S.RECEIVED, "withdraw"): S.WITHDRAWN,
    (S.INTERVIEWED, "interview"): S.INTERVIEWED,  # may be recorded again until a decision
    (S.INTERVIEWED, "reject"): S.REJECTED,
    (S.INTERVIEWED, "withdraw"): S.WITHDRAWN,
    (S.INTERVIEWED, "enrol"): S.ENROLLED,
}
EVERY_TRANSITION = [(status, action) for status in ReferralStatus for action in ACTIONS]


def test_a_referral_starts_received_and_open() -> None:
    made = referral()
    assert made.status is ReferralStatus.RECEIVED
    assert made.is_open
    assert not made.is_active_enrolment
    assert (made.interview, made.closing, made.enrolment) == (None, None, None)


@pytest.mark.parametrize(("status", "action"), EVERY_TRANSITION)
def test_every_transition_from_every_state(status: ReferralStatus, action: str) -> None:
    young_person = person()
    made = referral_in(status, young_person)
    before = (made.status, made.interview, made.closing, made.enrolment)
    expected = ALLOWED.get((status, action))
    if expected is not None:
        ACTIONS[action](made, young_person, TODAY)
        assert made.status is expected
        assert made.is_open is (expected in {S.RECEIVED, S.INTERVIEWED})
        return
    with pytest.raises(ReferralNotInRightState) as refused:
        ACTIONS[action](made, young_person, TODAY)
    assert refused.value.current_state == status.value
    assert status.value in refused.value.message
    expected_rule = "enrol_after_interview" if status is S.RECEIVED else f"{action}_only_while_open"
    assert refused.value.rule == expected_rule
    assert [(f.rule, f.field) for f in refused.value.failures()] == [(expected_rule, "status")]
    assert (made.status, made.interview, made.closing, made.enrolment) == before  # nothing changed


def test_a_decision_records_its_day_and_reason() -> None:
    rejected, withdrawn = referral(), referral()
    rejected.reject(RejectionReason.IN_EMPLOYMENT, dt.date(2026, 11, 10), today=TODAY)
    withdrawn.withdraw(WithdrawalReason.FOUND_OTHER_PLACE, dt.date(2026, 11, 11), today=TODAY)
    assert rejected.closing is not None
    assert (rejected.closing.on, rejected.closing.reason) == (
        dt.date(2026, 11, 10),
        RejectionReason.IN_EMPLOYMENT,
    )
    assert withdrawn.closing is not None
    assert withdrawn.closing.reason is WithdrawalReason.FOUND_OTHER_PLACE


@pytest.mark.parametrize("action", ACTIONS)
def test_a_transition_may_be_dated_from_the_day_received_up_to_today(action: str) -> None:
    for day in (RECEIVED_ON, TODAY):
        young_person = person()
        made = referral_in(S.INTERVIEWED if action == "enrol" else S.RECEIVED, young_person)
        ACTIONS[action](made, young_person, day)
        assert made.status is ALLOWED[(S.INTERVIEWED if action == "enrol" else S.RECEIVED, action)]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_transition_dated_after_today_is_refused(action: str) -> None:
    young_person = person()
    made = referral_in(S.INTERVIEWED, young_person)
    with pytest.raises(DateInFuture) as refused:
        ACTIONS[action](made, young_person, TODAY + dt.timedelta(days=1))
    assert refused.value.field == DATE_FIELD[action]
    assert refused.value.rule == "date_not_in_future"
    assert made.status is S.INTERVIEWED


@pytest.mark.parametrize("action", ACTIONS)
def test_a_transition_dated_before_the_referral_was_received_is_refused(action: str) -> None:
    young_person = person()
    made = referral_in(S.INTERVIEWED, young_person)
    with pytest.raises(DateBeforeReferral) as refused:
        ACTIONS[action](made, young_person, RECEIVED_ON - dt.timedelta(days=1))
    assert refused.value.field == DATE_FIELD[action]
    assert refused.value.rule == "date_not_before_referral"
    assert made.status is S.INTERVIEWED


def test_a_referral_cannot_be_received_after_today() -> None:
    with pytest.raises(DateInFuture) as refused:
        referral(received_on=TODAY + dt.timedelta(days=1))
    assert refused.value.field == "received_on"
    assert referral(received_on=TODAY).received_on == TODAY


def test_an_ineligible_person_stays_interviewed() -> None:
    young_person = person()
    made = referral_in(S.INTERVIEWED, young_person)
    with pytest.raises(NotEligible):
        made.enrol(young_person, [], JOBCENTER_ONLY, TODAY, rules=RULES, today=TODAY)
    assert made.status is S.INTERVIEWED
    assert made.enrolment is None


def test_the_enrolment_carries_the_age_band_on_the_enrolment_day_and_a_new_id() -> None:
    young_person = person(birth_date=dt.date(2008, 11, 20))  # 17 when received, 18 when enrolled
    made = referral_in(S.INTERVIEWED, young_person)
    assert made.age_band_when_received(dt.date(2008, 11, 20)) is AgeBand.AGE_15_17
    enrolment = made.enrol(
        young_person, [consent(young_person)], JOBCENTER_ONLY, TODAY, rules=RULES, today=TODAY
    )
    assert enrolment.age_band is AgeBand.AGE_18_20
    assert enrolment.enrolled_on == TODAY
    assert made.enrolment == enrolment
    assert made.is_active_enrolment
    other = referral_in(S.ENROLLED)
    assert other.enrolment is not None
    assert other.enrolment.enrolment_id != enrolment.enrolment_id


def test_an_erased_person_cannot_be_enrolled() -> None:
    young_person = person()
    made = referral_in(S.INTERVIEWED, young_person)
    young_person.erase(TODAY)
    with pytest.raises(ParticipantDataErased):
        made.enrol(young_person, [], JOBCENTER_ONLY, TODAY, rules=RULES, today=TODAY)


def test_an_exit_ends_the_enrolment_once() -> None:
    made = referral_in(S.ENROLLED)
    assert made.end_enrolment(TODAY) is True
    assert made.enrolment is not None
    assert made.enrolment.ended_on == TODAY
    assert not made.is_active_enrolment
    assert made.status is S.ENROLLED  # the referral stays enrolled: counts do not change
    assert made.end_enrolment(TODAY + dt.timedelta(days=1)) is False
    assert made.enrolment.ended_on == TODAY


@pytest.mark.parametrize("status", [S.RECEIVED, S.INTERVIEWED, S.REJECTED, S.WITHDRAWN])
def test_an_exit_of_a_referral_never_enrolled_changes_nothing(status: ReferralStatus) -> None:
    made = referral_in(status)
    assert made.end_enrolment(TODAY) is False
    assert made.enrolment is None
