"""Progress between assessments: per competence first, latest and change; per assessment the change
since the previous score of each competence."""

from __future__ import annotations

import datetime as dt
import uuid

from outcomes.domain.assessment import Assessment, AssessmentKind
from outcomes.domain.competence_progress import changes_between_assessments, progress_by_competence


def assessed(kind: AssessmentKind, day: int, **scores: int) -> Assessment:
    return Assessment(uuid.uuid4(), 1, kind, dt.date(2026, 5, day), "jana", scores)


ENTRY = assessed(AssessmentKind.ENTRY, 4, reliability=2, teamwork=3)
PERIODIC = assessed(AssessmentKind.PERIODIC, 18, reliability=3)
EXIT = assessed(AssessmentKind.EXIT, 29, reliability=5, teamwork=2)


def test_each_competence_from_first_to_latest() -> None:
    progress = progress_by_competence([EXIT, ENTRY, PERIODIC], ["reliability", "teamwork", "initiative"])
    by_name = {line.competence: line for line in progress}
    assert [line.competence for line in progress] == ["reliability", "teamwork", "initiative"]
    reliability = by_name["reliability"]
    assert reliability.first is not None
    assert reliability.latest is not None
    assert (reliability.first.score, reliability.first.kind) == (2, AssessmentKind.ENTRY)
    assert (reliability.latest.score, reliability.latest.kind) == (5, AssessmentKind.EXIT)
    assert (reliability.change, reliability.times_assessed) == (3, 3)
    assert by_name["teamwork"].change == -1
    initiative = by_name["initiative"]
    assert (initiative.first, initiative.latest, initiative.change, initiative.times_assessed) == (
        None,
        None,
        None,
        0,
    )


def test_competences_no_longer_configured_are_still_shown() -> None:
    progress = progress_by_competence([ENTRY], ["reliability"])
    assert [line.competence for line in progress] == ["reliability", "teamwork"]


def test_each_assessment_shows_its_changes_since_the_previous_scores() -> None:
    answered = changes_between_assessments([PERIODIC, EXIT, ENTRY])
    assert [found.assessment.kind for found in answered] == [
        AssessmentKind.ENTRY,
        AssessmentKind.PERIODIC,
        AssessmentKind.EXIT,
    ]
    assert answered[0].changes == {"reliability": None, "teamwork": None}
    assert answered[1].changes == {"reliability": 1}
    # teamwork was last scored at entry, skipping the periodic assessment that left it out.
    assert answered[2].changes == {"reliability": 2, "teamwork": -1}


def test_on_one_day_entry_comes_before_periodic() -> None:
    entry = assessed(AssessmentKind.ENTRY, 4, reliability=2)
    periodic = assessed(AssessmentKind.PERIODIC, 4, reliability=4)
    answered = changes_between_assessments([periodic, entry])
    assert answered[1].changes == {"reliability": 2}
