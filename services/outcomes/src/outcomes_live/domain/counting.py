"""What one participant's facts add to the figures: counts in buckets of year, work area, funders.

The rules, per stay in the programme (see `stays`):

- **referred**: every referral, in the year it was received and the first preferred work area;
  referrals name no funder (funders are named at enrolment).
- **enrolled**: every stay with its enrolment, in the year of `enrolled_on` and the first preferred
  area, for the stay's funders.
- **placed**: every stay placed at least once (transfers do not count again), in the year and area
  of its first placement. Its waiting time is `placed_on` of the first placement minus
  `enrolled_on` (in days), where both are known.
- **waiting**: stays waitlisted *now*: the latest placement fact (by when it occurred) is a
  waitlisting and the stay has no exit. Counted in the year the waiting began and the area waited
  for. A stale waitlisting that occurred before a placement never makes a placed person wait.
- **exited**: every stay's exit, in the year of `exit_date`, in the area of the last placement
  placed on or before the exit date (else the area the exit names, else `none`). Its time to exit
  is `exit_date` minus `enrolled_on`.
- **integrated**: exits outcomes marked integrated (programme view: apprenticeship, employment,
  therapy); **jobcenter_integrated**: exits outcomes marked so in the Jobcenter's view, or, where
  an older event does not say, exits into apprenticeship or employment (the Jobcenter does not
  count therapy).
- **followed_up / retained**: integrated exits with a recorded six-month follow-up (the latest one
  counts), and those among them still in training or still employed.

Bucket funders are the stay's funders (sorted), so a co-funded stay is one count in the totals and
appears in each of its funders' figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

from outcomes_live.domain.facts import Fact, FactKind, ParticipantFacts
from outcomes_live.domain.stays import Stay, stays_of

NO_WORK_AREA = "none"
"""The work-area bucket of what names no area (e.g. an exit of someone never placed)."""

JOBCENTER_INTEGRATIONS = frozenset({"apprenticeship", "employment"})
RETAINED_SITUATIONS = frozenset({"still_in_training", "still_employed"})


class Metric(StrEnum):
    REFERRED = "referred"
    ENROLLED = "enrolled"
    PLACED = "placed"
    WAITING = "waiting"
    EXITED = "exited"
    INTEGRATED = "integrated"
    JOBCENTER_INTEGRATED = "jobcenter_integrated"
    FOLLOWED_UP = "followed_up"
    RETAINED = "retained"
    WAITS_TIMED = "waits_timed"
    WAITING_DAYS = "waiting_days"
    EXITS_TIMED = "exits_timed"
    DAYS_TO_EXIT = "days_to_exit"


@dataclass(frozen=True, order=True)
class Bucket:
    metric: Metric
    year: int
    work_area: str
    funders: tuple[str, ...]


Contributions = Counter[Bucket]


def contributions(participant: ParticipantFacts) -> Contributions:
    counts: Contributions = Counter()
    for referral in participant.of_kind(FactKind.REFERRAL):
        counts[Bucket(Metric.REFERRED, referral.day.year, _area(referral), ())] += 1
    for stay in stays_of(participant):
        _count_stay(stay, counts)
    return counts


def _count_stay(stay: Stay, counts: Contributions) -> None:
    enrolment, exit_ = stay.enrolment, stay.exit
    funders = _funders(enrolment, exit_)
    if enrolment is not None:
        counts[Bucket(Metric.ENROLLED, enrolment.day.year, _area(enrolment), funders)] += 1
    placements = sorted(
        (fact for fact in stay.placement_facts if fact.kind == FactKind.PLACED), key=_chronological
    )
    if placements:
        first = placements[0]
        placed = Bucket(Metric.PLACED, first.day.year, _area(first), funders)
        counts[placed] += 1
        if enrolment is not None:
            _add_duration(
                counts, placed, Metric.WAITS_TIMED, Metric.WAITING_DAYS, (first.day - enrolment.day).days
            )
    if exit_ is None:
        latest = max(stay.placement_facts, key=lambda fact: (fact.at, fact.day, fact.event_id), default=None)
        if latest is not None and latest.kind == FactKind.WAITLISTED:
            counts[Bucket(Metric.WAITING, latest.day.year, _area(latest), funders)] += 1
        return
    exited = Bucket(Metric.EXITED, exit_.day.year, _exit_area(exit_, placements), funders)
    counts[exited] += 1
    if enrolment is not None:
        _add_duration(
            counts, exited, Metric.EXITS_TIMED, Metric.DAYS_TO_EXIT, (exit_.day - enrolment.day).days
        )
    if exit_.integrated:
        counts[_as(exited, Metric.INTEGRATED)] += 1
        follow_up = max(stay.follow_ups, key=_chronological, default=None)
        if follow_up is not None:
            counts[_as(exited, Metric.FOLLOWED_UP)] += 1
            if follow_up.situation in RETAINED_SITUATIONS:
                counts[_as(exited, Metric.RETAINED)] += 1
    if _in_jobcenter_view(exit_):
        counts[_as(exited, Metric.JOBCENTER_INTEGRATED)] += 1


def _in_jobcenter_view(exit_: Fact) -> bool:
    if exit_.jobcenter_integrated is not None:
        return exit_.jobcenter_integrated
    return exit_.destination in JOBCENTER_INTEGRATIONS


def _add_duration(counts: Contributions, bucket: Bucket, timed: Metric, days: Metric, value: int) -> None:
    # A placement or exit dated before the enrolment breaks other services' rules; count it as 0
    # days rather than let one wrong date pull an average below zero.
    counts[_as(bucket, timed)] += 1
    counts[_as(bucket, days)] += max(value, 0)


def _chronological(fact: Fact) -> tuple[object, ...]:
    return (fact.day, fact.at, fact.event_id)


def _exit_area(exit_: Fact, placements: list[Fact]) -> str:
    before_exit = [fact for fact in placements if fact.day <= exit_.day]
    if before_exit:
        return _area(before_exit[-1])
    return _area(exit_)


def _funders(enrolment: Fact | None, exit_: Fact | None) -> tuple[str, ...]:
    source = enrolment if enrolment is not None else exit_
    return tuple(sorted(set(source.funders))) if source is not None else ()


def _area(fact: Fact) -> str:
    return fact.work_area or NO_WORK_AREA


def _as(bucket: Bucket, metric: Metric) -> Bucket:
    return Bucket(metric, bucket.year, bucket.work_area, bucket.funders)
