"""Request and response bodies of the attendance API (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from placement.domain.attendance import AttendanceStatus
from werkstattnetz_shared.events.vocabulary import Funder
from werkstattnetz_shared.web.request_models import JsonNumber, RequestModel

MAX_HOURS_PER_DAY = 12


QuarterHours = Annotated[float, Field(ge=0, le=MAX_HOURS_PER_DAY, multiple_of=0.25), JsonNumber]


class AttendanceEntryRequest(RequestModel):
    participant_id: uuid.UUID
    status: AttendanceStatus
    hours_present: (
        Annotated[float, Field(ge=0, le=MAX_HOURS_PER_DAY, multiple_of=0.25), JsonNumber] | None
    ) = Field(
        default=None,
        description="Hours the participant was there, in quarter hours. Needed (above 0) when "
        "present; an absence may name the hours before someone left (0 when left out).",
    )


class AttendanceDayRequest(RequestModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "entries": [
                        {
                            "participant_id": "3f0c9a52-4c1e-4c84-9d0e-1f6f0d7b2a11",
                            "status": "present",
                            "hours_present": 6.5,
                        },
                        {"participant_id": "8a1d2e6b-0c55-4f0e-a7a4-52b8e7a3c9d0", "status": "sick"},
                        {"participant_id": "c47e0b1f-93d2-4a8e-b0f5-6d2a9e1c7b34", "status": "unexcused"},
                    ]
                }
            ]
        }
    )

    entries: list[AttendanceEntryRequest] = Field(
        min_length=1,
        max_length=200,
        description="One entry per participant; participants left out keep what they have.",
    )


class AttendanceLineView(BaseModel):
    participant_id: uuid.UUID
    placed: bool = Field(description="Placed in the workshop on that day (per the placement spells).")
    status: AttendanceStatus | None = Field(description="None while nothing is recorded.")
    hours_present: float | None
    version: int | None = Field(description="1 = as first recorded; each correction adds one.")
    recorded_by: str | None
    recorded_at: dt.datetime | None


class AttendanceDayView(BaseModel):
    workshop_id: uuid.UUID
    day: dt.date
    workshop_open: bool = Field(description="Whether the day is one of the workshop's opening days.")
    entries: list[AttendanceLineView] = Field(
        description="Everyone placed in the workshop that day, and anyone recorded there that day."
    )


class EntryVersionView(BaseModel):
    version: int
    status: AttendanceStatus
    hours_present: float
    recorded_by: str
    recorded_at: dt.datetime
    replaced_by: str | None = Field(description="Who corrected this version; None for the current one.")
    replaced_at: dt.datetime | None


class EntryHistoryView(BaseModel):
    participant_id: uuid.UUID
    versions: list[EntryVersionView] = Field(description="Oldest first; the last is the current entry.")


class AttendanceHistoryView(BaseModel):
    workshop_id: uuid.UUID
    day: dt.date
    participants: list[EntryHistoryView]


class AbsenceView(BaseModel):
    day: dt.date
    code: str = Field(description="E (excused), UE (unexcused) or K (sick).")


class AbsenceTotalsView(BaseModel):
    E: int
    UE: int
    K: int


class ParticipantAbsencesView(BaseModel):
    participant_id: uuid.UUID
    days_placed: int = Field(description="Opening days in the month, up to today, on which they were placed.")
    days_recorded: int
    days_present: int
    hours_present: float
    absences: list[AbsenceView]
    totals: AbsenceTotalsView


class AbsenceReportTotalsView(AbsenceTotalsView):
    participants: int
    days_placed: int
    days_recorded: int
    days_present: int


class AbsenceReportView(BaseModel):
    month: str = Field(examples=["2026-11"])
    funder: Funder
    codes: dict[str, str] = Field(description="What each absence code means.")
    participants: list[ParticipantAbsencesView] = Field(description="Pseudonymous ids only.")
    totals: AbsenceReportTotalsView
