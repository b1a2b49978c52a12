"""Use cases of competence assessments: record one, list them with their changes, show progress.

`record_assessment` runs inside the caller's open unit of work (keyword-only `uow`) and locks the
participant's row first, so two racing entry assessments cannot both pass the once-per-stay check
(a unique index backs it too). The reading ones open their own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.assessment import AssessmentKind, StayDates, assess
from outcomes.domain.competence_progress import (
    AssessmentWithChanges,
    CompetenceProgress,
    changes_between_assessments,
    progress_by_competence,
)
from outcomes.domain.errors import ParticipantMustBeKnown
from outcomes.domain.plan_stay import stay_to_read


@dataclass(frozen=True)
class RecordAssessment:
    participant_id: uuid.UUID
    kind: AssessmentKind
    assessed_on: dt.date
    scores: Sequence[tuple[str, int]]
    competences: Sequence[str]
    today: dt.date
    staff_subject: str


@dataclass(frozen=True)
class AssessmentsOfStay:
    participant_id: uuid.UUID
    stay: int
    assessments: list[AssessmentWithChanges]
    """Oldest first, each with its changes since the previous scores."""


@dataclass(frozen=True)
class ProgressOfStay:
    participant_id: uuid.UUID
    stay: int
    assessments: int
    competences: list[CompetenceProgress]


async def record_assessment(command: RecordAssessment, *, uow: OutcomesUnitOfWork) -> AssessmentWithChanges:
    """Filed under the latest stay; dated within it, also when recorded after its exit. Answered
    with its changes since the scores before it (by date: it may be recorded late)."""
    record = await uow.participants.get_for_update(command.participant_id)
    if record is None or record.current is None:
        raise ParticipantMustBeKnown(
            f"outcomes knows of no enrolment of participant {command.participant_id}"
        )
    stay = record.current
    earlier = await uow.assessments.of_stay(command.participant_id, stay.number)
    assessment = assess(
        stay=stay.number,
        kind=command.kind,
        assessed_on=command.assessed_on,
        assessor=command.staff_subject,
        scores=command.scores,
        competences=command.competences,
        dates=StayDates(stay.enrolment.enrolled_on, stay.exit.exit_date if stay.exit else None),
        today=command.today,
        earlier=earlier,
    )
    recorded = await uow.assessments.add(command.participant_id, assessment)
    with_changes = changes_between_assessments([*earlier, recorded])
    return next(found for found in with_changes if found.assessment.assessment_id == recorded.assessment_id)


async def assessments_of_stay(
    participant_id: uuid.UUID, stay_number: int | None, uow: OutcomesUnitOfWork
) -> AssessmentsOfStay:
    async with uow:
        stay = stay_to_read(await uow.participants.get(participant_id), stay_number)
        assessments = await uow.assessments.of_stay(participant_id, stay.number)
    return AssessmentsOfStay(participant_id, stay.number, changes_between_assessments(assessments))


async def competence_progress(
    participant_id: uuid.UUID, stay_number: int | None, competences: Sequence[str], uow: OutcomesUnitOfWork
) -> ProgressOfStay:
    async with uow:
        stay = stay_to_read(await uow.participants.get(participant_id), stay_number)
        assessments = await uow.assessments.of_stay(participant_id, stay.number)
    return ProgressOfStay(
        participant_id, stay.number, len(assessments), progress_by_competence(assessments, competences)
    )
