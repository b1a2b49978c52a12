"""The running totals over every participant, and the figures funders read from them.

The totals are a pure function of the participants' facts: kept up to date by adding what a
participant's facts count now and taking away what they counted before, and rebuilt from the
table after a restart. Rates are shares rounded to four decimals, averages in days to one
decimal; both are None where there is nothing to divide.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from outcomes_live.domain.counting import NO_WORK_AREA, Bucket, Contributions, Metric, contributions
from outcomes_live.domain.facts import ParticipantFacts

WORK_AREAS = ("bike_metal", "garden_landscape", "building_services", "care", NO_WORK_AREA)
FUNDERS = ("jobcenter", "youth_office", "city", "other")


@dataclass(frozen=True)
class FigureQuery:
    year: int | None = None
    work_area: str | None = None
    funder: str | None = None

    def admits(self, bucket: Bucket) -> bool:
        return (
            (self.year is None or bucket.year == self.year)
            and (self.work_area is None or bucket.work_area == self.work_area)
            and (self.funder is None or self.funder in bucket.funders)
        )


@dataclass(frozen=True)
class Figures:
    referred: int | None
    """None when a funder is asked for: referrals name no funder."""
    enrolled: int
    placed: int
    waiting: int
    exited: int
    integrated: int
    integration_rate: float | None
    jobcenter_integrated: int
    jobcenter_integration_rate: float | None
    followed_up: int
    retained: int
    retention_rate: float | None
    average_waiting_days: float | None
    average_days_to_exit: float | None


@dataclass(frozen=True)
class Breakdown:
    total: Figures
    by_year: dict[int, Figures]
    by_work_area: dict[str, Figures]
    by_funder: dict[str, Figures]


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def average(total: int, count: int) -> float | None:
    return None if count == 0 else round(total / count, 1)


class LiveFigures:
    def __init__(self) -> None:
        self._counts: Contributions = Counter()

    def record_change(self, before: ParticipantFacts, after: ParticipantFacts) -> None:
        """Replace what `before` counted with what `after` counts (one participant)."""
        self._add(contributions(before), -1)
        self._add(contributions(after), +1)

    def rebuild(self, participants: Iterable[ParticipantFacts]) -> None:
        self._counts = Counter()
        for participant in participants:
            self._add(contributions(participant), +1)

    def figures(self, query: FigureQuery) -> Figures:
        sums: Counter[Metric] = Counter()
        for bucket, count in self._counts.items():
            if query.admits(bucket):
                sums[bucket.metric] += count
        exited = sums[Metric.EXITED]
        return Figures(
            referred=None if query.funder is not None else sums[Metric.REFERRED],
            enrolled=sums[Metric.ENROLLED],
            placed=sums[Metric.PLACED],
            waiting=sums[Metric.WAITING],
            exited=exited,
            integrated=sums[Metric.INTEGRATED],
            integration_rate=share(sums[Metric.INTEGRATED], exited),
            jobcenter_integrated=sums[Metric.JOBCENTER_INTEGRATED],
            jobcenter_integration_rate=share(sums[Metric.JOBCENTER_INTEGRATED], exited),
            followed_up=sums[Metric.FOLLOWED_UP],
            retained=sums[Metric.RETAINED],
            retention_rate=share(sums[Metric.RETAINED], sums[Metric.FOLLOWED_UP]),
            average_waiting_days=average(sums[Metric.WAITING_DAYS], sums[Metric.WAITS_TIMED]),
            average_days_to_exit=average(sums[Metric.DAYS_TO_EXIT], sums[Metric.EXITS_TIMED]),
        )

    def breakdown(self, query: FigureQuery) -> Breakdown:
        """The figures for `query`, and split by year, by work area and by funder within it."""
        years = sorted({bucket.year for bucket in self._counts if query.admits(bucket)})
        areas = WORK_AREAS if query.work_area is None else (query.work_area,)
        funders = FUNDERS if query.funder is None else (query.funder,)
        return Breakdown(
            total=self.figures(query),
            by_year={year: self.figures(_with(query, year=year)) for year in years},
            by_work_area={area: self.figures(_with(query, work_area=area)) for area in areas},
            by_funder={funder: self.figures(_with(query, funder=funder)) for funder in funders},
        )

    def _add(self, counts: Contributions, sign: int) -> None:
        for bucket, count in counts.items():
            total = self._counts[bucket] + sign * count
            if total:
                self._counts[bucket] = total
            else:
                # Buckets that fall back to zero are dropped, so the totals stay as small as the
                # set of buckets that count something.
                del self._counts[bucket]


def _with(
    query: FigureQuery, *, year: int | None = None, work_area: str | None = None, funder: str | None = None
) -> FigureQuery:
    return FigureQuery(
        year=year if year is not None else query.year,
        work_area=work_area if work_area is not None else query.work_area,
        funder=funder if funder is not None else query.funder,
    )
