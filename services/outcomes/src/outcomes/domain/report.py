"""The integration report: a pure computation over the exits of a period.

Selecting the exits of the period is the caller's job; this module picks a funder's and counts.
Rates are shares of all counted exits, rounded to four decimals, and None where there is nothing
to divide.
The Jobcenter rate uses the same denominator but counts only apprenticeship and employment.

Each stay's exit counts once, in the period of its exit date: a participant who came back and left
again is counted twice, once per stay, and a new stay never changes what an earlier exit reported.
A co-funded place's exit counts in full for each funder named (`Exit.counts_for`): a funder's
report covers every place it paid for, so the funders' reports together count it more than once;
`co_funded_exits` says how many of the counted exits that concerns.

Exits are also broken down by the Jobcenter's category, by reason and (integrations) by the kind
of next step; `not_recorded` counts exits recorded without one. The follow-up figures and the
six-month retention rate are defined in `retention`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from outcomes.domain.destinations import JobcenterCategory, jobcenter_category
from outcomes.domain.errors import PeriodMustRunForward
from outcomes.domain.follow_up import DEFAULT_GRACE_DAYS, FollowUp
from outcomes.domain.retention import RetentionFigures, compute_retention
from outcomes.domain.stay import Exit
from werkstattnetz_shared.events.vocabulary import Destination, ExitReason, Funder, NextStep, WorkArea

NEVER_PLACED = "none"
"""The work-area bucket of people who exited without ever being placed."""

WORK_AREA_BUCKETS: tuple[str, ...] = (*(area.value for area in WorkArea), NEVER_PLACED)

NOT_RECORDED = "not_recorded"
"""The reason or next-step bucket of exits recorded without one."""


@dataclass(frozen=True)
class ReportPeriod:
    """Inclusive exit-date bounds; either side may be open."""

    exited_from: dt.date | None = None
    exited_to: dt.date | None = None

    def __post_init__(self) -> None:
        if self.exited_from and self.exited_to and self.exited_from > self.exited_to:
            raise PeriodMustRunForward(
                f"exited_from ({self.exited_from.isoformat()}) lies after exited_to "
                f"({self.exited_to.isoformat()})"
            )


@dataclass(frozen=True)
class RateLine:
    exits: int
    integrations: int
    integration_rate: float | None


@dataclass(frozen=True)
class IntegrationReport:
    period: ReportPeriod
    funder: Funder | None
    exits: int
    integrations: int
    integration_rate: float | None
    jobcenter_integrations: int
    jobcenter_integration_rate: float | None
    by_destination: dict[Destination, int]
    by_work_area: dict[str, RateLine]
    co_funded_exits: int
    by_jobcenter_category: dict[JobcenterCategory, int]
    by_reason: dict[str, int]
    by_next_step: dict[str, int]
    """Of the integrations (programme view)."""
    follow_ups: RetentionFigures


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def compute_integration_report(
    exits: Iterable[Exit],
    period: ReportPeriod,
    funder: Funder | None = None,
    follow_ups: Iterable[FollowUp] = (),
    now: dt.datetime | None = None,
    grace: dt.timedelta = dt.timedelta(days=DEFAULT_GRACE_DAYS),
) -> IntegrationReport:
    """`follow_ups`: those of the same exits; `now` and `grace` decide which are due or overdue."""
    counted = [exit_ for exit_ in exits if funder is None or exit_.counts_for(funder)]
    integrations = sum(1 for exit_ in counted if exit_.integrated)
    jobcenter_integrations = sum(1 for exit_ in counted if exit_.counts_for_jobcenter)
    destinations = Counter(exit_.destination for exit_ in counted)
    categories = Counter(jobcenter_category(exit_.destination) for exit_ in counted)
    reasons = Counter(_value_or_not_recorded(exit_.details.reason) for exit_ in counted)
    next_steps = Counter(
        _value_or_not_recorded(exit_.details.next_step) for exit_ in counted if exit_.integrated
    )
    return IntegrationReport(
        period=period,
        funder=funder,
        exits=len(counted),
        integrations=integrations,
        integration_rate=share(integrations, len(counted)),
        jobcenter_integrations=jobcenter_integrations,
        jobcenter_integration_rate=share(jobcenter_integrations, len(counted)),
        # Every destination and every area is listed, zeros included, so readers need no defaults.
        by_destination={destination: destinations[destination] for destination in Destination},
        by_work_area={bucket: _rate_line(counted, bucket) for bucket in WORK_AREA_BUCKETS},
        co_funded_exits=sum(1 for exit_ in counted if exit_.is_co_funded),
        by_jobcenter_category={category: categories[category] for category in JobcenterCategory},
        by_reason={bucket: reasons[bucket] for bucket in (*(r.value for r in ExitReason), NOT_RECORDED)},
        by_next_step={bucket: next_steps[bucket] for bucket in (*(s.value for s in NextStep), NOT_RECORDED)},
        follow_ups=compute_retention(follow_ups, funder, now or dt.datetime.now(dt.UTC), grace),
    )


def _value_or_not_recorded(code: ExitReason | NextStep | None) -> str:
    return code.value if code is not None else NOT_RECORDED


def work_area_bucket(exit_: Exit) -> str:
    return exit_.work_area.value if exit_.work_area else NEVER_PLACED


def _rate_line(exits: list[Exit], bucket: str) -> RateLine:
    in_bucket = [exit_ for exit_ in exits if work_area_bucket(exit_) == bucket]
    integrations = sum(1 for exit_ in in_bucket if exit_.integrated)
    return RateLine(
        exits=len(in_bucket),
        integrations=integrations,
        integration_rate=share(integrations, len(in_bucket)),
    )
