"""Placement news ordered by its own moments, not by arrival: a placement that happened before the
exit but arrived after it still fills in the exit's area; a stale waitlisting never undoes a
placement."""

from __future__ import annotations

import datetime as dt
import uuid

from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.stay import Enrolment, ParticipantStatus
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea

ENROLLED = dt.date(2026, 3, 2)
EXIT_DAY = dt.date(2026, 11, 20)
TODAY = dt.date(2026, 11, 24)
T0 = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
CARE, BIKE = WorkArea.CARE, WorkArea.BIKE_METAL


def enrolled() -> tuple[ParticipantRecord, uuid.UUID]:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    announced_by = uuid.uuid4()
    enrolment = Enrolment(
        ENROLLED, Funder.JOBCENTER, AgeBand.AGE_18_20, ReferralSource.JOBCENTER, uuid.uuid4()
    )
    record.record_enrolment(enrolment, announced_by)
    return record, announced_by


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_a_placement_from_before_the_exit_that_arrives_after_it_fills_in_the_exits_area() -> None:
    record, enrolment_event = enrolled()
    exit_ = record.exit_to(Destination.APPRENTICESHIP, EXIT_DAY, TODAY, recorded_at=at(10))
    assert exit_.work_area is None
    record.record_placement(CARE, cause=enrolment_event, at=at(-60 * 24 * 200), on=ENROLLED)
    assert record.exit is not None
    assert record.exit.work_area is CARE
    assert record.status is ParticipantStatus.EXITED


def test_a_late_transfer_from_before_the_exit_corrects_the_area_left_from() -> None:
    record, enrolment_event = enrolled()
    record.record_placement(CARE, cause=enrolment_event, at=at(-1000), on=ENROLLED)
    record.exit_to(Destination.EMPLOYMENT, EXIT_DAY, TODAY, recorded_at=at(10))
    record.record_placement_end(CARE, at=at(5), on=EXIT_DAY)
    record.record_placement(BIKE, from_waitlist=True, at=at(5), on=EXIT_DAY)
    assert record.exit is not None
    assert record.exit.work_area is BIKE


def test_a_placement_made_after_the_exit_was_recorded_does_not_count_for_it() -> None:
    record, enrolment_event = enrolled()
    record.record_placement(CARE, cause=enrolment_event, at=at(-1000), on=ENROLLED)
    record.exit_to(Destination.SCHOOL, EXIT_DAY, TODAY, recorded_at=at(10))
    record.record_placement(BIKE, from_waitlist=True, at=at(11), on=EXIT_DAY)
    assert record.exit is not None
    assert record.exit.work_area is CARE


def test_a_placement_dated_after_the_exit_day_does_not_count_for_it() -> None:
    record, enrolment_event = enrolled()
    record.exit_to(Destination.SCHOOL, EXIT_DAY, TODAY, recorded_at=at(60 * 24 * 3))
    record.record_placement(BIKE, cause=enrolment_event, at=at(60), on=EXIT_DAY + dt.timedelta(days=1))
    assert record.exit is not None
    assert record.exit.work_area is None


def test_placement_news_without_moments_after_the_exit_changes_nothing_as_before() -> None:
    record, enrolment_event = enrolled()
    record.exit_to(Destination.SCHOOL, EXIT_DAY, TODAY, recorded_at=at(10))
    record.record_placement(CARE, cause=enrolment_event)
    assert record.exit is not None
    assert record.exit.work_area is None


def test_a_stale_waitlisting_replayed_after_the_placement_changes_nothing() -> None:
    record, enrolment_event = enrolled()
    record.record_waitlisting(CARE, cause=enrolment_event, at=at(0))
    record.record_placement(CARE, from_waitlist=True, at=at(30), on=ENROLLED)
    record.record_waitlisting(CARE, cause=enrolment_event, at=at(0))  # replayed
    assert (record.status, record.work_area, record.waitlisted_for) == (ParticipantStatus.PLACED, CARE, None)


def test_news_arriving_in_its_own_order_is_taken_as_before() -> None:
    record, enrolment_event = enrolled()
    record.record_placement(CARE, cause=enrolment_event, at=at(0), on=ENROLLED)
    record.record_placement_end(CARE, at=at(10), on=ENROLLED)
    record.record_waitlisting(BIKE, cause=enrolment_event, at=at(20))
    assert (record.status, record.waitlisted_for) == (ParticipantStatus.WAITLISTED, BIKE)


def test_a_stale_waitlisting_heard_before_the_enrolment_does_not_undo_early_placement_news() -> None:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    enrolment_event = uuid.uuid4()
    record.record_waitlisting(CARE, cause=enrolment_event, at=at(0))
    record.record_placement(CARE, from_waitlist=True, at=at(30), on=ENROLLED)
    record.record_waitlisting(CARE, cause=enrolment_event, at=at(0))
    enrolment = Enrolment(ENROLLED, Funder.CITY, AgeBand.AGE_15_17, ReferralSource.SCHOOL, uuid.uuid4())
    record.record_enrolment(enrolment, enrolment_event)
    assert (record.status, record.work_area) == (ParticipantStatus.PLACED, CARE)


def test_a_placement_from_the_waitlist_heard_before_the_enrolment_and_its_waitlisting_is_kept() -> None:
    """Both before the enrolment: the placement (no cause) first, then the older waitlisting that
    names the enrolment. The waitlisting is stale; the person stays placed once enrolled."""
    record = ParticipantRecord(participant_id=uuid.uuid4())
    announced_by = uuid.uuid4()
    record.record_placement(CARE, from_waitlist=True, at=at(60), on=ENROLLED)
    record.record_waitlisting(CARE, cause=announced_by, at=at(0))
    enrolment = Enrolment(
        ENROLLED, Funder.JOBCENTER, AgeBand.AGE_18_20, ReferralSource.JOBCENTER, uuid.uuid4()
    )
    record.record_enrolment(enrolment, announced_by)
    assert record.status is ParticipantStatus.PLACED
    assert record.work_area is CARE
