"""Request and response bodies of competence assessments and progress (not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from outcomes.domain.assessment import AssessmentKind
from werkstattnetz_shared.web.request_models import JsonInteger, PlausibleDate, RequestModel

Score = Annotated[int, Field(ge=1, le=5), JsonInteger]


class ScoreRequest(RequestModel):
    competence: Annotated[str, StringConstraints(min_length=1, max_length=50)] = Field(
        description="One of the configured competences (`COMPETENCES`)."
    )
    score: Score = Field(description="1 = hardly shown … 5 = shown reliably and independently.")


class AssessmentRequest(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "entry",
                    "assessed_on": "2026-09-07",
                    "scores": [
                        {"competence": "reliability", "score": 2},
                        {"competence": "punctuality", "score": 3},
                        {"competence": "teamwork", "score": 3},
                    ],
                }
            ]
        }
    )

    kind: AssessmentKind = Field(description="entry and exit once per stay; periodic as often as needed.")
    assessed_on: PlausibleDate = Field(
        description="Within the stay: from the enrolment to its exit or today."
    )
    scores: list[ScoreRequest] = Field(
        min_length=1, max_length=50, description="Each competence at most once."
    )


class ScoreView(BaseModel):
    competence: str
    score: int
    change: int | None = Field(
        description="Since this competence's previous score in the stay; null at first."
    )


class AssessmentView(BaseModel):
    participant_id: uuid.UUID
    stay: int
    assessment_id: uuid.UUID
    kind: AssessmentKind
    assessed_on: dt.date
    assessor: str = Field(description="The staff token subject who assessed.")
    scores: list[ScoreView]


class AssessmentsView(BaseModel):
    participant_id: uuid.UUID
    stay: int
    assessments: list[AssessmentView] = Field(description="Oldest first (entry before periodic before exit).")
    total: int
    limit: int
    offset: int


class ScoreAtView(BaseModel):
    score: int
    assessed_on: dt.date
    kind: AssessmentKind


class CompetenceProgressView(BaseModel):
    competence: str
    first: ScoreAtView | None
    latest: ScoreAtView | None
    change: int | None = Field(description="latest − first; null until scored.")
    times_assessed: int


class ProgressView(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "0b8f2c1e-4f5a-4c3e-9d57-0a1b2c3d4e5f",
                    "stay": 1,
                    "scale": {"min": 1, "max": 5},
                    "assessments": 2,
                    "competences": [
                        {
                            "competence": "reliability",
                            "first": {"score": 2, "assessed_on": "2026-09-07", "kind": "entry"},
                            "latest": {"score": 4, "assessed_on": "2026-11-20", "kind": "periodic"},
                            "change": 2,
                            "times_assessed": 2,
                        }
                    ],
                }
            ]
        }
    )

    participant_id: uuid.UUID
    stay: int
    scale: dict[str, int]
    assessments: int
    competences: list[CompetenceProgressView] = Field(
        description="Every configured competence, then any scored earlier but no longer configured."
    )
