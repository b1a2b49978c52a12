"""HTTP routes of competence assessments and the progress between them."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from outcomes.application import assessment_handlers
from outcomes.domain.assessment import Assessment
from outcomes.domain.competence_progress import AssessmentWithChanges, ScoreAt
from outcomes.domain.competences import SCALE_MAX, SCALE_MIN
from outcomes.entrypoints.assessment_schemas import (
    AssessmentRequest,
    AssessmentsView,
    AssessmentView,
    CompetenceProgressView,
    ProgressView,
    ScoreAtView,
    ScoreView,
)
from outcomes.entrypoints.plan_http import CaseStaff, StayNumber, UnitOfWork, create_once, read, today_of
from outcomes.settings import OutcomesSettings
from werkstattnetz_shared.web.dependencies import PageLimit, PageOffset
from werkstattnetz_shared.web.errors import error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey

router = APIRouter(
    prefix="/v1/participants/{participant_id}",
    tags=["case work"],
    responses=error_responses(401, 403, 404, 422, 503),
)


@router.post(
    "/assessments",
    status_code=status.HTTP_201_CREATED,
    response_model=AssessmentView,
    responses=error_responses(409),
)
async def record_assessment(
    participant_id: uuid.UUID,
    body: AssessmentRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> AssessmentView | JSONResponse:
    settings: OutcomesSettings = request.app.state.settings
    command = assessment_handlers.RecordAssessment(
        participant_id=participant_id,
        kind=body.kind,
        assessed_on=body.assessed_on,
        scores=[(score.competence, score.score) for score in body.scores],
        competences=settings.competence_list,
        today=today_of(request),
        staff_subject=staff.subject,
    )

    async def record() -> AssessmentView:
        return _assessment_view(participant_id, await assessment_handlers.record_assessment(command, uow=uow))

    return await create_once(uow, request, staff, idempotency_key, body, record)


@router.get("/assessments", response_model=AssessmentsView)
async def list_assessments(
    participant_id: uuid.UUID,
    staff: CaseStaff,
    uow: UnitOfWork,
    stay: StayNumber = None,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> AssessmentsView:
    found = await read(assessment_handlers.assessments_of_stay(participant_id, stay, uow))
    return AssessmentsView(
        participant_id=participant_id,
        stay=found.stay,
        assessments=[_assessment_view(participant_id, a) for a in found.assessments[offset : offset + limit]],
        total=len(found.assessments),
        limit=limit,
        offset=offset,
    )


@router.get("/competence-progress", response_model=ProgressView)
async def competence_progress(
    participant_id: uuid.UUID, request: Request, staff: CaseStaff, uow: UnitOfWork, stay: StayNumber = None
) -> ProgressView:
    settings: OutcomesSettings = request.app.state.settings
    progress = await read(
        assessment_handlers.competence_progress(participant_id, stay, settings.competence_list, uow)
    )
    return ProgressView(
        participant_id=participant_id,
        stay=progress.stay,
        scale={"min": SCALE_MIN, "max": SCALE_MAX},
        assessments=progress.assessments,
        competences=[
            CompetenceProgressView(
                competence=line.competence,
                first=_score_at_view(line.first),
                latest=_score_at_view(line.latest),
                change=line.change,
                times_assessed=line.times_assessed,
            )
            for line in progress.competences
        ],
    )


def _assessment_view(participant_id: uuid.UUID, found: AssessmentWithChanges) -> AssessmentView:
    assessment: Assessment = found.assessment
    return AssessmentView(
        participant_id=participant_id,
        stay=assessment.stay,
        assessment_id=assessment.assessment_id,
        kind=assessment.kind,
        assessed_on=assessment.assessed_on,
        assessor=assessment.assessor,
        scores=[
            ScoreView(competence=name, score=score, change=found.changes.get(name))
            for name, score in assessment.scores.items()
        ],
    )


def _score_at_view(score: ScoreAt | None) -> ScoreAtView | None:
    return (
        None
        if score is None
        else ScoreAtView(score=score.score, assessed_on=score.assessed_on, kind=score.kind)
    )
