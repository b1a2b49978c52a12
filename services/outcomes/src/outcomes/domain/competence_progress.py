"""A participant's progress between assessments: a pure computation over one stay's assessments.

Per competence: the first and the latest score and the change between them. Per assessment: the
change of each competence it scored since the last earlier assessment that scored it too (None when
there was none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from outcomes.domain.assessment import Assessment, AssessmentKind, in_order


@dataclass(frozen=True)
class ScoreAt:
    score: int
    assessed_on: dt.date
    kind: AssessmentKind


@dataclass(frozen=True)
class CompetenceProgress:
    competence: str
    first: ScoreAt | None
    latest: ScoreAt | None
    times_assessed: int

    @property
    def change(self) -> int | None:
        return None if self.first is None or self.latest is None else self.latest.score - self.first.score


@dataclass(frozen=True)
class AssessmentWithChanges:
    assessment: Assessment
    changes: dict[str, int | None]
    """Competence → change since its previous score in the stay; None for its first score."""


def progress_by_competence(
    assessments: Iterable[Assessment], competences: Sequence[str]
) -> list[CompetenceProgress]:
    """Every configured competence (unscored ones with None), then any scored earlier but no longer
    configured, so a shortened list never hides what was recorded."""
    ordered = in_order(assessments)
    names = list(competences) + sorted(
        {name for assessment in ordered for name in assessment.scores} - set(competences)
    )
    return [_progress_of(name, ordered) for name in names]


def changes_between_assessments(assessments: Iterable[Assessment]) -> list[AssessmentWithChanges]:
    previous: dict[str, int] = {}
    answered = []
    for assessment in in_order(assessments):
        changes = {
            name: (score - previous[name] if name in previous else None)
            for name, score in assessment.scores.items()
        }
        previous.update(assessment.scores)
        answered.append(AssessmentWithChanges(assessment, changes))
    return answered


def _progress_of(name: str, ordered: list[Assessment]) -> CompetenceProgress:
    scored = [ScoreAt(a.scores[name], a.assessed_on, a.kind) for a in ordered if name in a.scores]
    return CompetenceProgress(
        competence=name,
        first=scored[0] if scored else None,
        latest=scored[-1] if scored else None,
        times_assessed=len(scored),
    )
