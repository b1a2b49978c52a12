"""Request and response bodies of development plans and progress notes (not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from outcomes.domain.plan import Aim, GoalStatus, MilestoneStatus
from werkstattnetz_shared.web.request_models import PlausibleDate, RequestModel

GoalText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
MilestoneText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]

_ERASED = "Null once the person's data was erased."


class GoalRequest(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"aim": "motivation", "text": "Kommt pünktlich zum Werkstattbeginn", "status": "open"}
            ]
        }
    )

    aim: Aim = Field(description="motivation (and responsibility), orientation or placement.")
    text: GoalText
    status: GoalStatus = GoalStatus.OPEN


class GoalChange(RequestModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "achieved"}]})

    text: GoalText | None = Field(default=None, description="Left out or null: unchanged.")
    status: GoalStatus | None = Field(
        default=None, description="open ↔ in_progress → achieved or dropped (both final)."
    )


class MilestoneRequest(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"text": "Eine Woche ohne Fehlzeit", "due_on": "2026-12-18"}]}
    )

    text: MilestoneText
    due_on: PlausibleDate = Field(description="Between the enrolment and three years after it.")


class MilestoneChange(RequestModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "done"}]})

    text: MilestoneText | None = Field(default=None, description="Left out or null: unchanged.")
    due_on: PlausibleDate | None = None
    status: MilestoneStatus | None = Field(
        default=None, description="open → done or missed (only after the due date); missed → done."
    )


class NoteRequest(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "text": "Gespräch über Praktikum im Garten- und Landschaftsbau; motiviert.",
                    "written_on": "2026-11-20",
                    "goal_id": "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b",
                }
            ]
        }
    )

    text: NoteText
    written_on: PlausibleDate | None = Field(default=None, description="Left out: today.")
    goal_id: uuid.UUID | None = Field(default=None, description="A goal of the same stay's plan.")


class MilestoneView(BaseModel):
    participant_id: uuid.UUID
    goal_id: uuid.UUID
    milestone_id: uuid.UUID
    text: str | None = Field(description=_ERASED)
    due_on: dt.date
    status: MilestoneStatus


class GoalView(BaseModel):
    participant_id: uuid.UUID
    stay: int
    goal_id: uuid.UUID
    aim: Aim
    text: str | None = Field(description=_ERASED)
    status: GoalStatus
    milestones: list[MilestoneView] = Field(description="By due date.")


class NoteView(BaseModel):
    participant_id: uuid.UUID
    stay: int
    note_id: uuid.UUID
    goal_id: uuid.UUID | None
    text: str
    written_on: dt.date
    author: str = Field(description="The staff token subject who wrote it.")


class PlanView(BaseModel):
    participant_id: uuid.UUID
    stay: int = Field(description="1 = the first stay, 2 = after the first re-entry, …")
    stay_open: bool = Field(description="False after the stay's exit: the plan can no longer change.")
    erased_on: dt.date | None = Field(description="When the person's data was erased: texts are null.")
    goals: list[GoalView] = Field(description="In the order they were set.")
    latest_notes: list[NoteView] = Field(description="The 20 latest notes; all through …/plan/notes.")
    notes_total: int


class NotesPageView(BaseModel):
    participant_id: uuid.UUID
    stay: int
    notes: list[NoteView] = Field(description="Newest first.")
    total: int
    limit: int
    offset: int
