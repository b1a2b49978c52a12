"""Competence assessments and their scores in outcomes' own database, per stay."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from outcomes.domain.assessment import Assessment, AssessmentKind


class AssessmentRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def of_stay(self, participant_id: uuid.UUID, stay: int) -> list[Assessment]:
        rows = await self._connection.fetch(
            """
            SELECT a.assessment_id, a.stay, a.kind, a.assessed_on, a.assessor, a.recorded_at,
                   ARRAY(SELECT ROW(s.competence, s.score) FROM competence_scores s
                         WHERE s.assessment_id = a.assessment_id ORDER BY s.competence) AS scores
            FROM competence_assessments a
            WHERE a.participant_id = $1 AND a.stay = $2
            ORDER BY a.assessed_on, a.recorded_at
            """,
            participant_id,
            stay,
        )
        return [_assessment_from(row) for row in rows]

    async def add(self, participant_id: uuid.UUID, assessment: Assessment) -> Assessment:
        """Stores it and returns it with the moment it was recorded."""
        recorded_at = await self._connection.fetchval(
            "INSERT INTO competence_assessments (assessment_id, participant_id, stay, kind, assessed_on, "
            "assessor) VALUES ($1, $2, $3, $4, $5, $6) RETURNING recorded_at",
            assessment.assessment_id,
            participant_id,
            assessment.stay,
            assessment.kind.value,
            assessment.assessed_on,
            assessment.assessor,
        )
        await self._connection.executemany(
            "INSERT INTO competence_scores (assessment_id, competence, score) VALUES ($1, $2, $3)",
            [(assessment.assessment_id, name, score) for name, score in assessment.scores.items()],
        )
        return Assessment(
            assessment.assessment_id,
            assessment.stay,
            assessment.kind,
            assessment.assessed_on,
            assessment.assessor,
            assessment.scores,
            recorded_at,
        )


def _assessment_from(row: Any) -> Assessment:
    return Assessment(
        assessment_id=row["assessment_id"],
        stay=row["stay"],
        kind=AssessmentKind(row["kind"]),
        assessed_on=row["assessed_on"],
        assessor=row["assessor"],
        scores={competence: score for competence, score in row["scores"]},
        recorded_at=row["recorded_at"],
    )
