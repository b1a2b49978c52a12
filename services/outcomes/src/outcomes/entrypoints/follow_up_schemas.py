"""Request and response bodies of the six-month follow-ups (not the event contracts, not the rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from outcomes.domain.follow_up import FollowUpStatus
from werkstattnetz_shared.events.vocabulary import (
    Destination,
    FollowUpSituation,
    Funder,
    NextStep,
    WorkArea,
)
from werkstattnetz_shared.web.request_models import PlausibleDate, RequestModel


class RecordFollowUpRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"situation": "still_in_training", "recorded_on": "2027-05-24"},
                {"situation": "unknown"},
            ]
        },
    )

    situation: FollowUpSituation = Field(
        description="still_in_training, still_employed, changed (no longer in the training or work they "
        "left for) or unknown (not reachable)."
    )
    recorded_on: PlausibleDate | None = Field(
        default=None, description="Default today; not before the follow-up fell due, not after today."
    )


class FollowUpStatusView(BaseModel):
    """A follow-up as the exit shows it."""

    follow_up_id: uuid.UUID
    due_on: dt.date
    status: FollowUpStatus
    situation: FollowUpSituation | None
    recorded_on: dt.date | None


class FollowUpView(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "follow_up_id": "6c1f9a0e-2b7d-4c55-9e13-0d4b8a7f2e61",
                    "participant_id": "0b8f2c1e-4f5a-4c3e-9d57-0a1b2c3d4e5f",
                    "stay": 1,
                    "exit_date": "2026-11-20",
                    "due_on": "2027-05-21",
                    "due_at": "2027-05-20T22:00:00Z",
                    "overdue_from": "2027-06-19T22:00:00Z",
                    "status": "recorded",
                    "destination": "apprenticeship",
                    "integrated": True,
                    "jobcenter_integrated": True,
                    "next_step": "dual_apprenticeship",
                    "work_area": "bike_metal",
                    "funder": "jobcenter",
                    "situation": "still_in_training",
                    "recorded_on": "2027-05-24",
                }
            ]
        }
    )

    follow_up_id: uuid.UUID
    participant_id: uuid.UUID
    stay: int
    exit_date: dt.date
    due_on: dt.date
    due_at: dt.datetime = Field(
        description="From this moment it can be recorded (and FollowUpDue is published)."
    )
    overdue_from: dt.datetime = Field(description="Unrecorded by then, it is listed as overdue.")
    status: FollowUpStatus = Field(description="scheduled, due, overdue or recorded.")
    destination: Destination
    integrated: bool
    jobcenter_integrated: bool
    next_step: NextStep | None
    work_area: WorkArea | None
    funder: Funder
    situation: FollowUpSituation | None
    recorded_on: dt.date | None


class FollowUpPage(BaseModel):
    items: list[FollowUpView]
    total: int
    next_offset: int | None = Field(description="Pass as `offset` to get the next page.")


class RetentionView(BaseModel):
    """The follow-ups of the exits the report counts."""

    by_status: dict[str, int] = Field(description="scheduled, due, overdue, recorded.")
    by_situation: dict[str, int] = Field(description="The recorded follow-ups, of every exit.")
    integrations_followed_up: int = Field(description="Recorded follow-ups of integrations (programme view).")
    integrations_retained: int = Field(description="Of those, still_in_training or still_employed.")
    six_month_retention_rate: float | None = Field(
        description="integrations_retained / integrations_followed_up, 0..1 (unknown counts as not "
        "retained; unrecorded follow-ups in neither); null while none is recorded."
    )
    jobcenter_integrations_followed_up: int = Field(
        description="The same over apprenticeship and employment."
    )
    jobcenter_integrations_retained: int
    jobcenter_six_month_retention_rate: float | None
