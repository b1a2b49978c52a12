"""Follow-ups and their report figures as the API shows them (explicit mapping from the domain)."""

from __future__ import annotations

import datetime as dt

from outcomes.domain.follow_up import FollowUp
from outcomes.domain.retention import RetentionFigures
from outcomes.entrypoints.follow_up_schemas import FollowUpStatusView, FollowUpView, RetentionView


def follow_up_status_view(follow_up: FollowUp, now: dt.datetime, grace: dt.timedelta) -> FollowUpStatusView:
    return FollowUpStatusView(
        follow_up_id=follow_up.follow_up_id,
        due_on=follow_up.due_on,
        status=follow_up.status(now, grace),
        situation=follow_up.situation,
        recorded_on=follow_up.recorded_on,
    )


def follow_up_view(follow_up: FollowUp, now: dt.datetime, grace: dt.timedelta) -> FollowUpView:
    return FollowUpView(
        follow_up_id=follow_up.follow_up_id,
        participant_id=follow_up.participant_id,
        stay=follow_up.stay,
        exit_date=follow_up.exit_date,
        due_on=follow_up.due_on,
        due_at=follow_up.due_at,
        overdue_from=follow_up.due_at + grace,
        status=follow_up.status(now, grace),
        destination=follow_up.destination,
        integrated=follow_up.integrated,
        jobcenter_integrated=follow_up.jobcenter_integrated,
        next_step=follow_up.next_step,
        work_area=follow_up.work_area,
        funder=follow_up.funder,
        situation=follow_up.situation,
        recorded_on=follow_up.recorded_on,
    )


def retention_view(figures: RetentionFigures) -> RetentionView:
    return RetentionView(
        by_status={status.value: count for status, count in figures.by_status.items()},
        by_situation={situation.value: count for situation, count in figures.by_situation.items()},
        integrations_followed_up=figures.integrations_followed_up,
        integrations_retained=figures.integrations_retained,
        six_month_retention_rate=figures.six_month_retention_rate,
        jobcenter_integrations_followed_up=figures.jobcenter_integrations_followed_up,
        jobcenter_integrations_retained=figures.jobcenter_integrations_retained,
        jobcenter_six_month_retention_rate=figures.jobcenter_six_month_retention_rate,
    )
