"""intake's enrolment rules: the enrolment day, age 15-25 on that day, consent, enrol only once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from intake.domain.age import age_band, age_on
from intake.domain.errors import (
    ConsentMissing,
    EnrolmentDateBeforeReferral,
    EnrolmentDateInFuture,
    PersonOutsideAgeRange,
    ReferralAlreadyEnrolled,
)
from intake.domain.referral import Enrolment, PersonalDetails, Referral, ReferralStatus
from werkstattnetz_shared.events.vocabulary import AgeBand, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.rules import RuleViolated

TODAY = dt.date(2026, 11, 25)
BERLIN = ZoneInfo("Europe/Berlin")
# 23:30 UTC on the 19th is already the 20th in Berlin: the referral was received on the 20th.
RECEIVED_AT = dt.datetime(2026, 11, 19, 23, 30, tzinfo=dt.UTC)
RECEIVED_ON = dt.date(2026, 11, 20)


def referral(birth_date: dt.date, *, consent: bool = True) -> Referral:
    return Referral.receive(
        person=PersonalDetails(first_name="Mia", last_name="Krause", birth_date=birth_date),
        referral_source=ReferralSource.YOUTH_OFFICE,
        funder=Funder.CITY,
        preferred_work_areas=(WorkArea.GARDEN_LANDSCAPE, WorkArea.CARE),
        consent_to_data_processing=consent,
        received_at=RECEIVED_AT,
    )


def enrol(young_person: Referral, on: dt.date = TODAY) -> Enrolment:
    return young_person.enrol(on, today=TODAY, timezone=BERLIN)


@pytest.mark.parametrize(
    ("birth_date", "age"),
    [
        (dt.date(2011, 11, 25), 15),  # 15th birthday today
        (dt.date(2011, 11, 26), 14),  # one day short
        (dt.date(2000, 11, 25), 26),
        (dt.date(2000, 11, 26), 25),  # turns 26 tomorrow
        (dt.date(2008, 2, 29), 18),  # leap-day birthday
    ],
)
def test_age_counts_whole_years_up_to_the_day(birth_date: dt.date, age: int) -> None:
    assert age_on(birth_date, TODAY) == age


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (15, AgeBand.AGE_15_17),
        (17, AgeBand.AGE_15_17),
        (18, AgeBand.AGE_18_20),
        (20, AgeBand.AGE_18_20),
        (21, AgeBand.AGE_21_25),
        (25, AgeBand.AGE_21_25),
    ],
)
def test_age_bands_have_no_gaps(age: int, band: AgeBand) -> None:
    assert age_band(age) == band


def test_enrolment_mints_a_participant_and_keeps_only_coarse_facts() -> None:
    young_person = referral(dt.date(2007, 5, 1))
    enrolment = enrol(young_person)
    assert young_person.status is ReferralStatus.ENROLLED
    assert enrolment.age_band is AgeBand.AGE_18_20
    assert enrolment.preferred_work_areas == (WorkArea.GARDEN_LANDSCAPE, WorkArea.CARE)
    assert enrolment.enrolled_on == TODAY
    assert enrolment.participant_id != young_person.referral_id


@pytest.mark.parametrize("birth_date", [dt.date(2011, 11, 26), dt.date(2000, 11, 25)])
def test_people_outside_15_to_25_are_not_enrolled(birth_date: dt.date) -> None:
    young_person = referral(birth_date)
    with pytest.raises(PersonOutsideAgeRange) as raised:
        enrol(young_person)
    assert raised.value.field == "birth_date"
    assert raised.value.rule == "age_between_15_and_25"
    assert young_person.status is ReferralStatus.RECEIVED
    assert young_person.enrolment is None


def test_the_boundaries_15_and_25_are_inside() -> None:
    enrol(referral(dt.date(2011, 11, 25)))
    enrol(referral(dt.date(2000, 11, 26)))


def test_no_enrolment_without_consent_until_it_is_recorded() -> None:
    young_person = referral(dt.date(2006, 1, 1), consent=False)
    with pytest.raises(ConsentMissing) as raised:
        enrol(young_person)
    assert raised.value.field == "consent_to_data_processing"
    young_person.record_consent()
    assert enrol(young_person).participant_id is not None


def test_a_referral_is_enrolled_only_once() -> None:
    young_person = referral(dt.date(2006, 1, 1))
    first = enrol(young_person)
    with pytest.raises(ReferralAlreadyEnrolled, match=str(first.participant_id)):
        enrol(young_person)
    assert young_person.enrolment == first


def test_the_enrolment_day_may_lie_between_the_referral_day_and_today() -> None:
    assert enrol(referral(dt.date(2006, 1, 1)), on=RECEIVED_ON).enrolled_on == RECEIVED_ON
    assert enrol(referral(dt.date(2006, 1, 1)), on=TODAY).enrolled_on == TODAY


def test_an_enrolment_day_in_the_future_is_refused() -> None:
    young_person = referral(dt.date(2006, 1, 1))
    with pytest.raises(EnrolmentDateInFuture) as raised:
        enrol(young_person, on=TODAY + dt.timedelta(days=1))
    assert (raised.value.rule, raised.value.field) == ("enrolled_on_not_in_future", "enrolled_on")
    assert young_person.enrolment is None


def test_an_enrolment_day_before_the_referral_was_received_in_the_programme_timezone_is_refused() -> None:
    young_person = referral(dt.date(2006, 1, 1))
    with pytest.raises(EnrolmentDateBeforeReferral) as raised:
        enrol(young_person, on=dt.date(2026, 11, 19))  # the UTC day of receipt, but not Berlin's
    assert (raised.value.rule, raised.value.field) == ("enrolled_on_not_before_referral", "enrolled_on")
    assert young_person.status is ReferralStatus.RECEIVED


def test_the_age_counts_on_the_enrolment_day_not_today() -> None:
    turns_26_on_the_23rd = referral(dt.date(2000, 11, 23))
    assert enrol(turns_26_on_the_23rd, on=dt.date(2026, 11, 22)).age_band is AgeBand.AGE_21_25
    with pytest.raises(PersonOutsideAgeRange, match="26 on 2026-11-23"):
        enrol(referral(dt.date(2000, 11, 23)), on=dt.date(2026, 11, 23))


def test_backdating_cannot_get_around_the_age_rule() -> None:
    """The issue's case: a 26-year-old backdated to 2020 is refused for the date, not enrolled."""
    too_old = referral(dt.date(1999, 6, 1))
    with pytest.raises(EnrolmentDateBeforeReferral):
        enrol(too_old, on=dt.date(2020, 1, 6))
    with pytest.raises(PersonOutsideAgeRange):
        enrol(too_old)


def test_the_date_rules_are_rule_violations_the_http_edge_can_map() -> None:
    for rule in (EnrolmentDateInFuture, EnrolmentDateBeforeReferral):
        assert issubclass(rule, RuleViolated)
        assert rule("why").message == "why"
