"""The states of a participant record as news arrives from intake and placement."""

import datetime as dt
import uuid

from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.stay import Enrolment, ParticipantStatus
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea

ENROLMENT = Enrolment(
    enrolled_on=dt.date(2026, 3, 2),
    funder=Funder.JOBCENTER,
    age_band=AgeBand.AGE_18_20,
    referral_source=ReferralSource.JOBCENTER,
)


def enrolled_record() -> ParticipantRecord:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    record.record_enrolment(ENROLMENT)
    return record


def test_an_enrolled_participant_is_known_and_not_yet_placed() -> None:
    record = enrolled_record()
    assert record.is_known
    assert record.status is ParticipantStatus.ENROLLED
    assert record.work_area is None


def test_placement_sets_the_status_and_the_work_area() -> None:
    record = enrolled_record()
    record.record_placement(WorkArea.CARE)
    assert (record.status, record.work_area) == (ParticipantStatus.PLACED, WorkArea.CARE)


def test_waitlisting_keeps_the_area_of_the_last_placement() -> None:
    record = enrolled_record()
    record.record_placement(WorkArea.BIKE_METAL)
    record.record_placement_end(WorkArea.BIKE_METAL)
    record.record_waitlisting(WorkArea.CARE)
    assert record.status is ParticipantStatus.WAITLISTED
    assert record.work_area is WorkArea.BIKE_METAL
    assert record.waitlisted_for is WorkArea.CARE


def test_a_placement_from_the_waitlist_clears_the_waitlist() -> None:
    record = enrolled_record()
    record.record_waitlisting(WorkArea.GARDEN_LANDSCAPE)
    record.record_placement(WorkArea.GARDEN_LANDSCAPE)
    assert record.status is ParticipantStatus.PLACED
    assert record.waitlisted_for is None


def test_an_ended_placement_keeps_its_area_as_the_last_one() -> None:
    record = enrolled_record()
    record.record_placement(WorkArea.BUILDING_SERVICES)
    record.record_placement_end(WorkArea.BUILDING_SERVICES)
    assert record.status is ParticipantStatus.PLACEMENT_ENDED
    assert record.work_area is WorkArea.BUILDING_SERVICES


def test_a_placement_heard_of_before_the_enrolment_is_kept_and_the_enrolment_added_later() -> None:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    record.record_placement(WorkArea.CARE)
    assert not record.is_known
    record.record_enrolment(ENROLMENT)
    assert record.is_known
    assert (record.status, record.work_area) == (ParticipantStatus.PLACED, WorkArea.CARE)


def test_the_first_enrolment_wins() -> None:
    record = enrolled_record()
    record.record_enrolment(
        Enrolment(
            enrolled_on=dt.date(2026, 5, 1),
            funder=Funder.CITY,
            age_band=AgeBand.AGE_21_25,
            referral_source=ReferralSource.SELF,
        )
    )
    assert record.enrolment == ENROLMENT


def test_placement_news_after_the_exit_no_longer_changes_the_record() -> None:
    record = enrolled_record()
    record.record_placement(WorkArea.CARE)
    record.exit_to(Destination.EMPLOYMENT, dt.date(2026, 6, 1), today=dt.date(2026, 6, 1))
    record.record_placement_end(WorkArea.CARE)
    record.record_placement(WorkArea.BIKE_METAL)
    record.record_waitlisting(WorkArea.GARDEN_LANDSCAPE)
    assert record.status is ParticipantStatus.EXITED
    assert record.work_area is WorkArea.CARE
    assert record.waitlisted_for is None
