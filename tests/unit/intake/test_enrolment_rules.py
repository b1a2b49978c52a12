"""intake's enrolment rules: age 15-25 on the enrolment day, consent, enrol only once."""

import datetime as dt

import pytest

from intake.domain.age import age_band, age_on
from intake.domain.errors import ConsentMissing, PersonOutsideAgeRange, ReferralAlreadyEnrolled
from intake.domain.referral import PersonalDetails, Referral, ReferralStatus
from werkstattnetz_shared.events.vocabulary import AgeBand, Funder, ReferralSource, WorkArea

TODAY = dt.date(2026, 11, 25)


def referral(birth_date: dt.date, *, consent: bool = True) -> Referral:
    return Referral.receive(
        person=PersonalDetails(first_name="Mia", last_name="Krause", birth_date=birth_date),
        referral_source=ReferralSource.YOUTH_OFFICE,
        funder=Funder.CITY,
        preferred_work_areas=(WorkArea.GARDEN_LANDSCAPE, WorkArea.CARE),
        consent_to_data_processing=consent,
        received_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
    )


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
    enrolment = young_person.enrol(TODAY)
    assert young_person.status is ReferralStatus.ENROLLED
    assert enrolment.age_band is AgeBand.AGE_18_20
    assert enrolment.preferred_work_areas == (WorkArea.GARDEN_LANDSCAPE, WorkArea.CARE)
    assert enrolment.enrolled_on == TODAY
    assert enrolment.participant_id != young_person.referral_id


@pytest.mark.parametrize("birth_date", [dt.date(2011, 11, 26), dt.date(2000, 11, 25)])
def test_people_outside_15_to_25_are_not_enrolled(birth_date: dt.date) -> None:
    young_person = referral(birth_date)
    with pytest.raises(PersonOutsideAgeRange) as raised:
        young_person.enrol(TODAY)
    assert raised.value.field == "birth_date"
    assert raised.value.rule == "age_between_15_and_25"
    assert young_person.status is ReferralStatus.RECEIVED
    assert young_person.enrolment is None


def test_the_boundaries_15_and_25_are_inside() -> None:
    referral(dt.date(2011, 11, 25)).enrol(TODAY)
    referral(dt.date(2000, 11, 26)).enrol(TODAY)


def test_no_enrolment_without_consent_until_it_is_recorded() -> None:
    young_person = referral(dt.date(2006, 1, 1), consent=False)
    with pytest.raises(ConsentMissing) as raised:
        young_person.enrol(TODAY)
    assert raised.value.field == "consent_to_data_processing"
    young_person.record_consent()
    assert young_person.enrol(TODAY).participant_id is not None


def test_a_referral_is_enrolled_only_once() -> None:
    young_person = referral(dt.date(2006, 1, 1))
    first = young_person.enrol(TODAY)
    with pytest.raises(ReferralAlreadyEnrolled, match=str(first.participant_id)):
        young_person.enrol(TODAY)
    assert young_person.enrolment == first
