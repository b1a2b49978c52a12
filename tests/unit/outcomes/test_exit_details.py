"""An exit's reason and kind of next step, and the two views of each destination."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from outcomes.domain.destinations import VIEWS_OF_DESTINATION, JobcenterCategory, jobcenter_category
from outcomes.domain.errors import (
    ExitReasonMustFitDestination,
    NextStepMustFitDestination,
    NextStepOnlyForIntegrations,
)
from outcomes.domain.exit_details import NEXT_STEPS_OF_DESTINATION, check_exit_details
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.stay import Enrolment, ExitDetails
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    ExitReason,
    Funder,
    NextStep,
    ReferralSource,
)

ENROLLED = dt.date(2026, 1, 5)
TODAY = dt.date(2026, 11, 24)


def test_the_jobcenter_files_each_destination_as_domain_md_says() -> None:
    assert {destination: jobcenter_category(destination) for destination in Destination} == {
        Destination.APPRENTICESHIP: JobcenterCategory.TRAINING,
        Destination.EMPLOYMENT: JobcenterCategory.EMPLOYMENT,
        Destination.THERAPY: JobcenterCategory.OTHER,
        Destination.SCHOOL: JobcenterCategory.EDUCATION,
        Destination.OTHER_MEASURE: JobcenterCategory.MEASURE,
        Destination.DROPOUT: JobcenterCategory.NONE,
        Destination.UNKNOWN: JobcenterCategory.UNKNOWN,
    }


def test_therapy_is_an_integration_for_the_programme_only() -> None:
    therapy = VIEWS_OF_DESTINATION[Destination.THERAPY]
    assert (therapy.programme_integrated, therapy.jobcenter_integrated) == (True, False)


def test_every_next_step_belongs_to_exactly_one_integration() -> None:
    owners = [d for d, steps in NEXT_STEPS_OF_DESTINATION.items() for _ in steps]
    assert len(owners) == len(NextStep)
    assert set(NEXT_STEPS_OF_DESTINATION) == {
        d for d, v in VIEWS_OF_DESTINATION.items() if v.programme_integrated
    }


@pytest.mark.parametrize(
    ("destination", "next_step"),
    [
        (Destination.APPRENTICESHIP, NextStep.DUAL_APPRENTICESHIP),
        (Destination.APPRENTICESHIP, NextStep.SCHOOL_BASED_TRAINING),
        (Destination.EMPLOYMENT, NextStep.SUBSIDISED_EMPLOYMENT),
        (Destination.THERAPY, NextStep.THERAPY),
    ],
)
def test_a_next_step_of_its_destination_is_accepted(destination: Destination, next_step: NextStep) -> None:
    check_exit_details(destination, ExitReason.FOUND_PLACEMENT, next_step)


def test_a_next_step_of_another_destination_is_refused() -> None:
    with pytest.raises(NextStepMustFitDestination) as refused:
        check_exit_details(Destination.EMPLOYMENT, None, NextStep.DUAL_APPRENTICESHIP)
    assert refused.value.field == "next_step"
    assert "employment_subject_to_social_insurance" in refused.value.message


@pytest.mark.parametrize("destination", [Destination.SCHOOL, Destination.DROPOUT, Destination.UNKNOWN])
def test_an_exit_that_is_no_integration_has_no_next_step(destination: Destination) -> None:
    with pytest.raises(NextStepOnlyForIntegrations):
        check_exit_details(destination, None, NextStep.THERAPY)


@pytest.mark.parametrize(
    ("destination", "reason"),
    [
        (Destination.DROPOUT, ExitReason.FOUND_PLACEMENT),
        (Destination.UNKNOWN, ExitReason.FOUND_PLACEMENT),
        (Destination.APPRENTICESHIP, ExitReason.DROPOUT),
        (Destination.SCHOOL, ExitReason.DROPOUT),
    ],
)
def test_a_reason_contradicting_the_destination_is_refused(
    destination: Destination, reason: ExitReason
) -> None:
    with pytest.raises(ExitReasonMustFitDestination) as refused:
        check_exit_details(destination, reason, None)
    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    ("destination", "reason"),
    [
        (Destination.DROPOUT, ExitReason.DROPOUT),
        (Destination.DROPOUT, ExitReason.MOVED_AWAY),
        (Destination.SCHOOL, ExitReason.REGULAR_END),
        (Destination.UNKNOWN, ExitReason.HEALTH),
        (Destination.OTHER_MEASURE, ExitReason.FOUND_PLACEMENT),
    ],
)
def test_reasons_that_fit_are_accepted(destination: Destination, reason: ExitReason) -> None:
    check_exit_details(destination, reason, None)


def test_the_exit_keeps_its_details_and_both_views() -> None:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    record.record_enrolment(
        Enrolment(ENROLLED, Funder.JOBCENTER, AgeBand.AGE_18_20, ReferralSource.JOBCENTER, uuid.uuid4()),
        uuid.uuid4(),
    )
    details = ExitDetails(ExitReason.FOUND_PLACEMENT, NextStep.THERAPY)
    exit_ = record.exit_to(Destination.THERAPY, TODAY, TODAY, details)
    assert (exit_.details, exit_.integrated, exit_.counts_for_jobcenter) == (details, True, False)


def test_a_refused_detail_records_no_exit() -> None:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    record.record_enrolment(
        Enrolment(ENROLLED, Funder.CITY, AgeBand.AGE_18_20, ReferralSource.SELF, uuid.uuid4()), uuid.uuid4()
    )
    with pytest.raises(NextStepOnlyForIntegrations):
        record.exit_to(Destination.DROPOUT, TODAY, TODAY, ExitDetails(next_step=NextStep.THERAPY))
    assert record.exit is None
