"""The six-month retention rate and the follow-up figures of the integration report."""

from __future__ import annotations

import datetime as dt
import uuid

from outcomes.domain.destinations import JobcenterCategory
from outcomes.domain.follow_up import FollowUp, FollowUpSchedule, FollowUpStatus
from outcomes.domain.report import ReportPeriod, compute_integration_report
from outcomes.domain.retention import compute_retention
from outcomes.domain.stay import Exit, ExitDetails
from werkstattnetz_shared.events.vocabulary import (
    Destination,
    ExitReason,
    FollowUpSituation,
    Funder,
    NextStep,
    WorkArea,
)

EXIT_DAY = dt.date(2026, 1, 15)
RECORDED_AT = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
GRACE = dt.timedelta(days=30)
SCHEDULE = FollowUpSchedule()
STILL_IN_TRAINING, STILL_EMPLOYED = FollowUpSituation.STILL_IN_TRAINING, FollowUpSituation.STILL_EMPLOYED
CHANGED, UNKNOWN = FollowUpSituation.CHANGED, FollowUpSituation.UNKNOWN


def exit_into(destination: Destination, funder: Funder = Funder.JOBCENTER, **details: object) -> Exit:
    return Exit.into(destination, EXIT_DAY, WorkArea.CARE, funder, details=ExitDetails(**details))  # type: ignore[arg-type]


def follow_up(
    destination: Destination, situation: FollowUpSituation | None, funder: Funder = Funder.JOBCENTER
) -> FollowUp:
    due = FollowUp.of_exit(uuid.uuid4(), exit_into(destination, funder), SCHEDULE, RECORDED_AT)
    if situation is None:
        return due
    return due.record(situation, due.due_on, due.due_on, due.due_at)


AFTER_GRACE = (
    FollowUp.of_exit(uuid.uuid4(), exit_into(Destination.DROPOUT), SCHEDULE, RECORDED_AT).due_at + GRACE
)


def test_retained_integrations_over_recorded_follow_ups_of_integrations() -> None:
    follow_ups = [
        follow_up(Destination.APPRENTICESHIP, STILL_IN_TRAINING),
        follow_up(Destination.EMPLOYMENT, STILL_EMPLOYED),
        follow_up(Destination.EMPLOYMENT, CHANGED),
        follow_up(Destination.THERAPY, UNKNOWN),  # unknown counts as not retained
        follow_up(Destination.APPRENTICESHIP, None),  # not recorded: in neither count
        follow_up(Destination.DROPOUT, STILL_EMPLOYED),  # no integration: not in the rate
    ]
    figures = compute_retention(follow_ups, None, AFTER_GRACE, GRACE)
    assert (figures.integrations_followed_up, figures.integrations_retained) == (4, 2)
    assert figures.six_month_retention_rate == 0.5
    assert (figures.jobcenter_integrations_followed_up, figures.jobcenter_integrations_retained) == (3, 2)
    assert figures.jobcenter_six_month_retention_rate == 0.6667
    assert figures.by_situation == {STILL_IN_TRAINING: 1, STILL_EMPLOYED: 2, CHANGED: 1, UNKNOWN: 1}
    assert figures.by_status == {
        FollowUpStatus.SCHEDULED: 0,
        FollowUpStatus.DUE: 0,
        FollowUpStatus.OVERDUE: 1,
        FollowUpStatus.RECORDED: 5,
    }


def test_without_a_recorded_follow_up_of_an_integration_there_is_no_rate() -> None:
    figures = compute_retention([follow_up(Destination.APPRENTICESHIP, None)], None, RECORDED_AT, GRACE)
    assert figures.six_month_retention_rate is None
    assert figures.by_status[FollowUpStatus.SCHEDULED] == 1


def test_a_funders_rate_counts_the_follow_ups_of_its_places() -> None:
    follow_ups = [
        follow_up(Destination.APPRENTICESHIP, STILL_IN_TRAINING, Funder.CITY),
        follow_up(Destination.APPRENTICESHIP, CHANGED, Funder.JOBCENTER),
    ]
    assert compute_retention(follow_ups, Funder.CITY, AFTER_GRACE, GRACE).six_month_retention_rate == 1.0


def test_the_report_breaks_exits_down_by_reason_next_step_and_the_jobcenters_category() -> None:
    exits = [
        exit_into(
            Destination.APPRENTICESHIP,
            reason=ExitReason.FOUND_PLACEMENT,
            next_step=NextStep.DUAL_APPRENTICESHIP,
        ),
        exit_into(Destination.THERAPY, reason=ExitReason.HEALTH),
        exit_into(Destination.DROPOUT, reason=ExitReason.DROPOUT),
        exit_into(Destination.SCHOOL),
    ]
    report = compute_integration_report(exits, ReportPeriod(), None, [], AFTER_GRACE, GRACE)
    assert report.by_reason["found_placement"] == 1
    assert report.by_reason["dropout"] == 1
    assert report.by_reason["not_recorded"] == 1
    assert report.by_next_step["dual_apprenticeship"] == 1
    assert report.by_next_step["not_recorded"] == 1  # the therapy; the others are no integrations
    assert sum(report.by_next_step.values()) == report.integrations == 2
    assert report.by_jobcenter_category[JobcenterCategory("training")] == 1
    assert report.by_jobcenter_category[JobcenterCategory("other")] == 1
    assert report.by_jobcenter_category[JobcenterCategory("education")] == 1
    assert report.follow_ups.six_month_retention_rate is None
