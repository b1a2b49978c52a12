"""Competence assessments: configured competences, each once, entry and exit once, dates and order;
the COMPETENCES setting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from outcomes.domain.assessment import Assessment, AssessmentKind, StayDates, assess
from outcomes.domain.assessment_errors import (
    AssessedWithinStay,
    AssessmentsInOrder,
    CompetenceMustBeConfigured,
    CompetenceScoredOnce,
    CompetenceSettingMustBeValid,
    EntryAndExitAssessedOnce,
)
from outcomes.domain.competences import DEFAULT_COMPETENCES, competences_from_setting

COMPETENCES = competences_from_setting(DEFAULT_COMPETENCES)
ENROLLED_ON = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 9, 30)


def assessment(
    kind: AssessmentKind,
    assessed_on: dt.date,
    *,
    scores: Sequence[tuple[str, int]] = (("reliability", 3),),
    earlier: Sequence[Assessment] = (),
    exit_date: dt.date | None = None,
) -> Assessment:
    return assess(
        stay=1,
        kind=kind,
        assessed_on=assessed_on,
        assessor="jana",
        scores=scores,
        competences=COMPETENCES,
        dates=StayDates(ENROLLED_ON, exit_date),
        today=TODAY,
        earlier=earlier,
    )


def test_the_default_competences() -> None:
    assert COMPETENCES == (
        "reliability",
        "punctuality",
        "teamwork",
        "initiative",
        "quality_of_work",
        "communication",
    )
    assert competences_from_setting(" reliability , teamwork,") == ("reliability", "teamwork")


@pytest.mark.parametrize("setting", ["", " , ", "reliability,Team Work", "teamwork,teamwork"])
def test_a_broken_setting_fails(setting: str) -> None:
    with pytest.raises(CompetenceSettingMustBeValid):
        competences_from_setting(setting)


def test_an_assessment_keeps_its_scores_and_assessor() -> None:
    entry = assessment(AssessmentKind.ENTRY, ENROLLED_ON, scores=[("reliability", 2), ("teamwork", 4)])
    assert entry.scores == {"reliability": 2, "teamwork": 4}
    assert (entry.assessor, entry.stay, entry.kind) == ("jana", 1, AssessmentKind.ENTRY)


def test_a_competence_not_configured_is_named() -> None:
    with pytest.raises(CompetenceMustBeConfigured) as refused:
        assessment(AssessmentKind.ENTRY, ENROLLED_ON, scores=[("reliability", 2), ("juggling", 4)])
    assert refused.value.field == "scores.1.competence"
    assert "'juggling'" in refused.value.message


def test_each_competence_once() -> None:
    with pytest.raises(CompetenceScoredOnce) as refused:
        assessment(
            AssessmentKind.PERIODIC, TODAY, scores=[("teamwork", 2), ("reliability", 3), ("teamwork", 4)]
        )
    assert refused.value.field == "scores.2.competence"


@pytest.mark.parametrize("kind", [AssessmentKind.ENTRY, AssessmentKind.EXIT])
def test_entry_and_exit_once_per_stay(kind: AssessmentKind) -> None:
    first = assessment(kind, dt.date(2026, 6, 1))
    with pytest.raises(EntryAndExitAssessedOnce):
        assessment(kind, dt.date(2026, 6, 1), earlier=[first])


def test_periodic_assessments_as_often_as_needed() -> None:
    earlier: list[Assessment] = []
    for month in (4, 5, 6, 7):
        earlier.append(assessment(AssessmentKind.PERIODIC, dt.date(2026, month, 1), earlier=earlier))
    assert len(earlier) == 4


def test_dated_within_the_stay() -> None:
    for outside in (ENROLLED_ON - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)):
        with pytest.raises(AssessedWithinStay):
            assessment(AssessmentKind.PERIODIC, outside)
    exit_date = dt.date(2026, 8, 31)
    assert assessment(AssessmentKind.EXIT, exit_date, exit_date=exit_date).assessed_on == exit_date
    with pytest.raises(AssessedWithinStay) as refused:
        assessment(AssessmentKind.PERIODIC, exit_date + dt.timedelta(days=1), exit_date=exit_date)
    assert refused.value.field == "assessed_on"


def test_entry_first_and_exit_last() -> None:
    entry = assessment(AssessmentKind.ENTRY, dt.date(2026, 3, 10))
    with pytest.raises(AssessmentsInOrder):
        assessment(AssessmentKind.PERIODIC, dt.date(2026, 3, 9), earlier=[entry])
    periodic = assessment(AssessmentKind.PERIODIC, dt.date(2026, 5, 1), earlier=[entry])
    with pytest.raises(AssessmentsInOrder):
        assessment(AssessmentKind.EXIT, dt.date(2026, 4, 30), earlier=[entry, periodic])
    exit_ = assessment(AssessmentKind.EXIT, dt.date(2026, 6, 1), earlier=[entry, periodic])
    with pytest.raises(AssessmentsInOrder):
        assessment(AssessmentKind.PERIODIC, dt.date(2026, 6, 2), earlier=[entry, periodic, exit_])
    late_entry_after_periodic = [periodic]
    with pytest.raises(AssessmentsInOrder):
        assessment(AssessmentKind.ENTRY, dt.date(2026, 5, 2), earlier=late_entry_after_periodic)
    # A periodic one on the exit's day is fine: on one day the exit counts last.
    same_day = assessment(AssessmentKind.PERIODIC, dt.date(2026, 6, 1), earlier=[entry, periodic, exit_])
    assert same_day.assessed_on == exit_.assessed_on
