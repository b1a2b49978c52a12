"""Request bodies of placement's API. Each refuses unknown fields and implausible input (422)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StringConstraints

from placement.domain.urgency import UrgencyReason
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason, PlacementEndReason, WorkArea
from werkstattnetz_shared.web.request_models import (
    JsonInteger,
    NoControlCharacters,
    PlausibleDate,
    RequestModel,
)

WorkshopName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoControlCharacters
]
StaffSubject = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._@:-]{1,200}$"),
    Field(description="A staff member's token subject (`sub`).", examples=["petra.lange"]),
]
Seats = Annotated[int, Field(ge=0, le=100, description="Seats of the workshop."), JsonInteger]
Weekday = Annotated[int, Field(ge=1, le=7), JsonInteger]


def _each_day_once(days: list[int]) -> list[int]:
    if len(set(days)) != len(days):
        raise ValueError("each weekday may be named only once")
    return sorted(days)


OpeningDays = Annotated[
    list[Weekday],
    Field(
        min_length=1,
        max_length=7,
        json_schema_extra={"uniqueItems": True},
        description="ISO weekdays the workshop is open: 1 = Monday … 7 = Sunday.",
    ),
    AfterValidator(_each_day_once),
]


class NewWorkshopRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "work_area": "garden_landscape",
                    "name": "Stadtgarten Ost",
                    "seats": 8,
                    "lead_instructor": "petra.lange",
                    "opening_days": [1, 2, 3, 4],
                }
            ]
        },
    )

    work_area: WorkArea
    name: WorkshopName
    seats: Seats
    lead_instructor: StaffSubject | None = None
    opening_days: OpeningDays = Field(default_factory=lambda: [1, 2, 3, 4, 5])


class WorkshopChangeRequest(RequestModel):
    """Only the fields sent change; `lead_instructor: null` removes the lead. The work area stays."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"seats": 10}, {"lead_instructor": "jan.berg"}]}
    )

    name: WorkshopName | None = None
    seats: Seats | None = Field(
        default=None, description="Not below the people placed plus the seats held by open offers (409)."
    )
    lead_instructor: StaffSubject | None = None
    opening_days: OpeningDays | None = None


class WorkshopChoice(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"workshop_id": "5d0c7a52-61c4-4bb8-9e0f-3f2b7f0a9c11"}]},
    )

    workshop_id: uuid.UUID


class EndPlacementRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "completed", "ended_on": "2026-11-27"}]}
    )

    reason: PlacementEndReason = Field(
        description="completed, dropout or exited (ahead of the exit outcomes records); `transferred` is "
        "what a transfer records."
    )
    ended_on: PlausibleDate | None = Field(
        default=None, description="Default today; not before the placement."
    )


class PriorityRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"urgent": True, "reason": "risk_of_homelessness"},
                {"urgent": False, "reason": None},
            ]
        },
    )

    urgent: StrictBool
    reason: UrgencyReason | None = Field(default=None, description="Required when urgent, none otherwise.")


class DeclineRequest(RequestModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "not_reachable"}]})

    reason: OfferDeclineReason
