"""Competence assessments of a stay: at entry, periodically and at exit, on a fixed scale of 1–5.

Assessments are observations of the stay's time and may be recorded late, also after the exit, as
long as they are dated within the stay. Scores carry no free text, so they outlive an erasure.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from outcomes.domain.assessment_errors import (
    AssessedWithinStay,
    AssessmentsInOrder,
    CompetenceMustBeConfigured,
    CompetenceScoredOnce,
    EntryAndExitAssessedOnce,
)


class AssessmentKind(StrEnum):
    ENTRY = "entry"
    PERIODIC = "periodic"
    EXIT = "exit"


# On the same day the entry assessment comes before a periodic one, the exit after it.
KIND_ORDER = {AssessmentKind.ENTRY: 0, AssessmentKind.PERIODIC: 1, AssessmentKind.EXIT: 2}


@dataclass(frozen=True)
class Assessment:
    assessment_id: uuid.UUID
    stay: int
    kind: AssessmentKind
    assessed_on: dt.date
    assessor: str
    scores: Mapping[str, int]
    """Competence → score on the scale; not every competence need be scored each time."""
    recorded_at: dt.datetime | None = None

    @property
    def order_key(self) -> tuple[dt.date, int, dt.datetime]:
        return (
            self.assessed_on,
            KIND_ORDER[self.kind],
            self.recorded_at or dt.datetime.max.replace(tzinfo=dt.UTC),
        )


def in_order(assessments: Iterable[Assessment]) -> list[Assessment]:
    return sorted(assessments, key=lambda assessment: assessment.order_key)


@dataclass(frozen=True)
class StayDates:
    enrolled_on: dt.date
    exit_date: dt.date | None


def assess(
    *,
    stay: int,
    kind: AssessmentKind,
    assessed_on: dt.date,
    assessor: str,
    scores: Sequence[tuple[str, int]],
    competences: Sequence[str],
    dates: StayDates,
    today: dt.date,
    earlier: Sequence[Assessment],
) -> Assessment:
    """A new assessment of the stay, checked against the configured competences and the stay's
    other assessments. `scores` in the order given, so a refusal names the position sent."""
    scored = _scores_of(scores, competences)
    last_day = min(dates.exit_date, today) if dates.exit_date else today
    if not dates.enrolled_on <= assessed_on <= last_day:
        raise AssessedWithinStay(
            f"an assessment on {assessed_on.isoformat()} must lie between the enrolment on "
            f"{dates.enrolled_on.isoformat()} and {'the exit on' if dates.exit_date else 'today,'} "
            f"{last_day.isoformat()}"
        )
    if kind is not AssessmentKind.PERIODIC and any(other.kind is kind for other in earlier):
        raise EntryAndExitAssessedOnce(f"the stay already has its {kind.value} assessment")
    _check_order(kind, assessed_on, earlier)
    return Assessment(uuid.uuid4(), stay, kind, assessed_on, assessor, scored)


def _scores_of(scores: Sequence[tuple[str, int]], competences: Sequence[str]) -> dict[str, int]:
    scored: dict[str, int] = {}
    for position, (competence, score) in enumerate(scores):
        if competence not in competences:
            raise CompetenceMustBeConfigured(
                f"{competence!r} is not among the competences assessed ({', '.join(competences)})",
                field=f"scores.{position}.competence",
            )
        if competence in scored:
            raise CompetenceScoredOnce(
                f"{competence} is scored more than once", field=f"scores.{position}.competence"
            )
        scored[competence] = score
    return scored


def _check_order(kind: AssessmentKind, assessed_on: dt.date, earlier: Sequence[Assessment]) -> None:
    for other in earlier:
        if other.kind is AssessmentKind.ENTRY and assessed_on < other.assessed_on:
            raise AssessmentsInOrder(
                f"the entry assessment on {other.assessed_on.isoformat()} comes first: this one may not "
                "be dated before it"
            )
        if other.kind is AssessmentKind.EXIT and assessed_on > other.assessed_on:
            raise AssessmentsInOrder(
                f"the exit assessment on {other.assessed_on.isoformat()} comes last: this one may not "
                "be dated after it"
            )
        if kind is AssessmentKind.ENTRY and other.assessed_on < assessed_on:
            raise AssessmentsInOrder(
                "an entry assessment comes first, but the stay was assessed on "
                f"{other.assessed_on.isoformat()}"
            )
        if kind is AssessmentKind.EXIT and other.assessed_on > assessed_on:
            raise AssessmentsInOrder(
                f"an exit assessment comes last, but the stay was assessed on {other.assessed_on.isoformat()}"
            )
