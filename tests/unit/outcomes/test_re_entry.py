"""Re-entry: each stay keeps its own facts and exit, whatever order the news arrives in."""

import datetime as dt
import uuid

import pytest

from outcomes.domain.errors import ExitDateNotBeforeEnrolment, ExitOnlyOnce
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.stay import Enrolment, FundingShare, ParticipantStatus
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    Funder,
    LegalBasis,
    ReferralSource,
    WorkArea,
)

FIRST_ENROLLED = dt.date(2026, 1, 5)
FIRST_EXIT = dt.date(2026, 4, 30)
SECOND_ENROLLED = dt.date(2026, 6, 1)
TODAY = dt.date(2026, 9, 30)
CARE, BIKE, GARDEN = WorkArea.CARE, WorkArea.BIKE_METAL, WorkArea.GARDEN_LANDSCAPE


def enrolment(
    on: dt.date, funder: Funder = Funder.JOBCENTER, funding: tuple[FundingShare, ...] = ()
) -> Enrolment:
    return Enrolment(
        enrolled_on=on,
        funder=funder,
        age_band=AgeBand.AGE_18_20,
        referral_source=ReferralSource.JOBCENTER,
        enrolment_id=uuid.uuid4(),
        re_entry=on != FIRST_ENROLLED,
        funding=funding,
    )


class Participant:
    """A record with the event ids intake's enrolments were announced in."""

    def __init__(self) -> None:
        self.record = ParticipantRecord(participant_id=uuid.uuid4())
        self.first, self.second = enrolment(FIRST_ENROLLED), enrolment(SECOND_ENROLLED, Funder.CITY)
        self.first_event, self.second_event = uuid.uuid4(), uuid.uuid4()

    def first_stay_placed_and_exited(self) -> None:
        self.record.record_enrolment(self.first, self.first_event)
        self.record.record_placement(CARE, cause=self.first_event)
        self.record.exit_to(Destination.DROPOUT, FIRST_EXIT, TODAY)

    def second_enrolment(self) -> None:
        self.record.record_enrolment(self.second, self.second_event)


def test_a_new_enrolment_after_the_exit_opens_a_second_stay_and_keeps_the_first_exit() -> None:
    person = Participant()
    person.first_stay_placed_and_exited()
    first_exit = person.record.exit
    person.second_enrolment()

    record = person.record
    assert [stay.number for stay in record.stays] == [1, 2]
    assert (record.status, record.enrolment, record.exit, record.work_area) == (
        ParticipantStatus.ENROLLED,
        person.second,
        None,
        None,
    )
    assert record.stays[0].exit == first_exit
    assert record.stays[0].status is ParticipantStatus.EXITED


def test_an_exit_is_once_per_stay() -> None:
    person = Participant()
    person.first_stay_placed_and_exited()
    with pytest.raises(ExitOnlyOnce, match="stay 1"):
        person.record.exit_to(Destination.EMPLOYMENT, FIRST_EXIT, TODAY)

    person.second_enrolment()
    person.record.record_placement(BIKE, cause=person.second_event)
    second_exit = person.record.exit_to(Destination.EMPLOYMENT, TODAY, TODAY)
    assert (second_exit.stay, second_exit.work_area, second_exit.funder) == (2, BIKE, Funder.CITY)
    with pytest.raises(ExitOnlyOnce, match="stay 2"):
        person.record.exit_to(Destination.EMPLOYMENT, TODAY, TODAY)
    assert person.record.stays[0].exit is not None
    assert person.record.stays[0].exit.destination is Destination.DROPOUT


def test_the_second_stays_exit_is_judged_against_its_own_enrolment() -> None:
    person = Participant()
    person.first_stay_placed_and_exited()
    person.second_enrolment()
    with pytest.raises(ExitDateNotBeforeEnrolment):
        person.record.exit_to(Destination.EMPLOYMENT, SECOND_ENROLLED - dt.timedelta(days=1), TODAY)


def test_the_same_enrolment_again_or_one_without_id_changes_nothing() -> None:
    person = Participant()
    person.first_stay_placed_and_exited()
    person.record.record_enrolment(person.first, uuid.uuid4())
    person.record.record_enrolment(
        Enrolment(SECOND_ENROLLED, Funder.CITY, AgeBand.AGE_21_25, ReferralSource.SELF)
    )
    assert len(person.record.stays) == 1
    person.second_enrolment()
    person.record.record_enrolment(person.second, uuid.uuid4())
    assert len(person.record.stays) == 2


def test_placement_news_of_the_new_stay_before_its_enrolment_waits_for_it() -> None:
    person = Participant()
    person.first_stay_placed_and_exited()
    person.record.record_waitlisting(BIKE, cause=person.second_event)
    person.record.record_placement(BIKE, from_waitlist=True)

    first = person.record.stays[0]
    assert (len(person.record.stays), first.status, first.placement.work_area) == (
        1,
        ParticipantStatus.EXITED,
        CARE,
    )
    person.second_enrolment()
    assert (person.record.status, person.record.work_area) == (ParticipantStatus.PLACED, BIKE)
    assert person.record.early_news is None


def test_stale_news_of_the_first_stay_after_the_second_enrolment_changes_neither() -> None:
    person = Participant()
    person.record.record_enrolment(person.first, person.first_event)
    person.record.exit_to(Destination.DROPOUT, FIRST_EXIT, TODAY)  # before placement's news arrived
    person.second_enrolment()

    person.record.record_waitlisting(CARE, cause=person.first_event)
    person.record.record_placement(CARE, from_waitlist=True)
    person.record.record_placement_end(CARE)

    first, second = person.record.stays
    assert (first.status, first.placement.work_area) == (ParticipantStatus.EXITED, None)
    assert (second.status, second.placement.work_area) == (ParticipantStatus.ENROLLED, None)
    person.record.record_placement(BIKE, cause=person.second_event)
    assert (second.status, second.placement.work_area) == (ParticipantStatus.PLACED, BIKE)


def test_the_first_stays_placement_end_after_the_second_enrolment_is_not_the_second_stays() -> None:
    person = Participant()
    person.first_stay_placed_and_exited()
    person.second_enrolment()
    person.record.record_placement_end(CARE)
    assert person.record.status is ParticipantStatus.ENROLLED


def test_a_decision_naming_no_known_enrolment_goes_to_the_open_stay() -> None:
    """Events from before causes were kept; a stay's decision cannot follow the next stay's start."""
    person = Participant()
    person.record.record_enrolment(person.first, person.first_event)
    person.record.record_placement(GARDEN, cause=uuid.uuid4())
    assert (person.record.status, person.record.work_area) == (ParticipantStatus.PLACED, GARDEN)


def test_early_news_naming_another_enrolment_is_not_given_to_the_stay_that_begins() -> None:
    person = Participant()
    person.first_stay_placed_and_exited()
    person.record.record_placement(BIKE, cause=uuid.uuid4())  # of an enrolment not heard yet
    person.second_enrolment()
    assert person.record.status is ParticipantStatus.ENROLLED
    assert person.record.early_news is not None


def test_a_co_funded_stay_exits_with_every_funder() -> None:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    shares = (
        FundingShare(Funder.JOBCENTER, LegalBasis.SGB2_16_ACTIVATION, 60),
        FundingShare(Funder.CITY, LegalBasis.CITY, 40),
    )
    record.record_enrolment(enrolment(FIRST_ENROLLED, funding=shares), uuid.uuid4())
    exit_ = record.exit_to(Destination.APPRENTICESHIP, FIRST_EXIT, TODAY)
    assert (exit_.funder, exit_.funders, exit_.is_co_funded) == (
        Funder.JOBCENTER,
        (Funder.JOBCENTER, Funder.CITY),
        True,
    )
    assert exit_.counts_for(Funder.CITY)
    assert exit_.counts_for(Funder.JOBCENTER)
    assert not exit_.counts_for(Funder.YOUTH_OFFICE)


def test_early_news_of_one_enrolment_adds_up_until_it_arrives() -> None:
    person = Participant()
    person.record.record_placement(CARE, cause=person.first_event)
    person.record.record_placement(BIKE, cause=person.first_event)
    person.record.record_waitlisting(GARDEN, cause=person.first_event)
    person.record.record_enrolment(person.first, person.first_event)
    assert (person.record.status, person.record.work_area, person.record.waitlisted_for) == (
        ParticipantStatus.WAITLISTED,
        BIKE,
        GARDEN,
    )
