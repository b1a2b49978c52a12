"""The six-month follow-up figures of a report: where the follow-ups stand and the retention rate.

`six_month_retention_rate` = follow-ups of integrated exits (programme view: apprenticeship,
employment, therapy) recorded as `still_in_training` or `still_employed`, divided by the follow-ups
of integrated exits that were recorded (any situation, `unknown` included: a funder cannot count a
stay nobody confirmed). Follow-ups not recorded yet are in neither count. The Jobcenter's rate is
the same over the Jobcenter's integrations (apprenticeship, employment). The follow-ups counted are
those of the exits the report counts (exit date in the period, the funder's places), so the rate of
a period changes as its follow-ups are recorded, up to about seven months after it ended.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from outcomes.domain.follow_up import FollowUp, FollowUpStatus
from werkstattnetz_shared.events.vocabulary import FollowUpSituation, Funder


@dataclass(frozen=True)
class RetentionFigures:
    by_status: dict[FollowUpStatus, int]
    by_situation: dict[FollowUpSituation, int]
    integrations_followed_up: int
    integrations_retained: int
    six_month_retention_rate: float | None
    jobcenter_integrations_followed_up: int
    jobcenter_integrations_retained: int
    jobcenter_six_month_retention_rate: float | None


def compute_retention(
    follow_ups: Iterable[FollowUp], funder: Funder | None, now: dt.datetime, grace: dt.timedelta
) -> RetentionFigures:
    counted = [follow_up for follow_up in follow_ups if funder is None or follow_up.counts_for(funder)]
    recorded = [follow_up for follow_up in counted if follow_up.is_recorded]
    statuses = Counter(follow_up.status(now, grace) for follow_up in counted)
    situations = Counter(follow_up.situation for follow_up in recorded)
    of_integrations = [follow_up for follow_up in recorded if follow_up.integrated]
    of_jobcenter_integrations = [follow_up for follow_up in recorded if follow_up.jobcenter_integrated]
    retained = sum(1 for follow_up in of_integrations if follow_up.retained)
    jobcenter_retained = sum(1 for follow_up in of_jobcenter_integrations if follow_up.retained)
    return RetentionFigures(
        by_status={status: statuses[status] for status in FollowUpStatus},
        by_situation={situation: situations[situation] for situation in FollowUpSituation},
        integrations_followed_up=len(of_integrations),
        integrations_retained=retained,
        six_month_retention_rate=_share(retained, len(of_integrations)),
        jobcenter_integrations_followed_up=len(of_jobcenter_integrations),
        jobcenter_integrations_retained=jobcenter_retained,
        jobcenter_six_month_retention_rate=_share(jobcenter_retained, len(of_jobcenter_integrations)),
    )


def _share(part: int, whole: int) -> float | None:
    # As the report's rates: four decimals, None where there is nothing to divide.
    return None if whole == 0 else round(part / whole, 4)
