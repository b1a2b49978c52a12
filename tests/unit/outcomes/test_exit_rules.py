"""Recording an exit: ExitOnlyOnce, the exit-date rules, and what the exit carries."""

import datetime as dt
import uuid

import pytest

from outcomes.domain.errors import (
    ExitDateNotBeforeEnrolment,
    ExitDateNotInFuture,
    ExitOnlyOnce,
    ParticipantMustBeKnown,
)
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.stay import Enrolment, ParticipantStatus
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea

ENROLLED_ON = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 9, 30)


def enrolled_record(funder: Funder = Funder.CITY) -> ParticipantRecord:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    record.record_enrolment(
        Enrolment(
            enrolled_on=ENROLLED_ON,
            funder=funder,
            age_band=AgeBand.AGE_15_17,
            referral_source=ReferralSource.YOUTH_OFFICE,
        )
    )
    return record


def test_an_exit_carries_destination_date_integration_area_and_funder() -> None:
    record = enrolled_record(Funder.JOBCENTER)
    record.record_placement(WorkArea.GARDEN_LANDSCAPE)
    exit_ = record.exit_to(Destination.APPRENTICESHIP, dt.date(2026, 9, 1), TODAY)
    assert exit_.destination is Destination.APPRENTICESHIP
    assert exit_.exit_date == dt.date(2026, 9, 1)
    assert exit_.integrated is True
    assert exit_.work_area is WorkArea.GARDEN_LANDSCAPE
    assert exit_.funder is Funder.JOBCENTER
    assert record.status is ParticipantStatus.EXITED
    assert record.exit == exit_


def test_a_dropout_is_not_integrated() -> None:
    assert enrolled_record().exit_to(Destination.DROPOUT, TODAY, TODAY).integrated is False


def test_a_never_placed_participant_exits_without_work_area() -> None:
    assert enrolled_record().exit_to(Destination.UNKNOWN, TODAY, TODAY).work_area is None


def test_exit_after_the_placement_ended_names_the_last_area() -> None:
    record = enrolled_record()
    record.record_placement(WorkArea.CARE)
    record.record_placement_end(WorkArea.CARE)
    record.record_waitlisting(WorkArea.BIKE_METAL)
    assert record.exit_to(Destination.THERAPY, TODAY, TODAY).work_area is WorkArea.CARE


def test_exit_only_once() -> None:
    record = enrolled_record()
    record.exit_to(Destination.SCHOOL, dt.date(2026, 9, 1), TODAY)
    with pytest.raises(ExitOnlyOnce):
        record.exit_to(Destination.EMPLOYMENT, dt.date(2026, 9, 2), TODAY)
    assert record.exit is not None
    assert record.exit.destination is Destination.SCHOOL


def test_the_exit_date_may_be_today_but_not_tomorrow() -> None:
    assert enrolled_record().exit_to(Destination.DROPOUT, TODAY, TODAY).exit_date == TODAY
    record = enrolled_record()
    with pytest.raises(ExitDateNotInFuture) as raised:
        record.exit_to(Destination.DROPOUT, TODAY + dt.timedelta(days=1), TODAY)
    assert raised.value.field == "exit_date"
    assert record.exit is None
    assert record.status is ParticipantStatus.ENROLLED


def test_the_exit_date_may_be_the_enrolment_day_but_not_before() -> None:
    assert enrolled_record().exit_to(Destination.DROPOUT, ENROLLED_ON, TODAY).exit_date == ENROLLED_ON
    record = enrolled_record()
    with pytest.raises(ExitDateNotBeforeEnrolment) as raised:
        record.exit_to(Destination.DROPOUT, ENROLLED_ON - dt.timedelta(days=1), TODAY)
    assert raised.value.field == "exit_date"
    assert record.exit is None


def test_only_a_participant_whose_enrolment_outcomes_knows_can_exit() -> None:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    record.record_placement(WorkArea.CARE)
    with pytest.raises(ParticipantMustBeKnown):
        record.exit_to(Destination.EMPLOYMENT, TODAY, TODAY)
    assert record.status is ParticipantStatus.PLACED
