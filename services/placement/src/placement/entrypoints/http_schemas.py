"""Response bodies of placement's API (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from placement.domain.offers import OfferStatus
from placement.domain.urgency import UrgencyReason
from werkstattnetz_shared.events.vocabulary import Funder, OfferDeclineReason, WorkArea

_WORKSHOP_EXAMPLE: dict[str, Any] = {
    "workshop_id": "5d0c7a52-61c4-4bb8-9e0f-3f2b7f0a9c11",
    "work_area": "care",
    "name": "Betreuung und Pflege",
    "seats": 14,
    "lead_instructor": "petra.lange",
    "opening_days": [1, 2, 3, 4, 5],
    "placed": 12,
    "open_offers": 1,
    "occupied": 13,
    "free_seats": 1,
    "waitlist_length": 6,
    "average_waiting_days": 23.5,
    "automatic_placement": True,
}


class WorkshopView(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_WORKSHOP_EXAMPLE]})

    workshop_id: uuid.UUID
    work_area: WorkArea
    name: str
    seats: int
    lead_instructor: str | None = Field(description="The workshop lead's staff token subject.")
    opening_days: list[int] = Field(description="ISO weekdays the workshop is open: 1 = Monday … 7 = Sunday.")
    placed: int = Field(description="People sitting in the workshop.")
    open_offers: int = Field(description="Free seats held by an offer not yet answered.")
    occupied: int = Field(description="placed + open_offers; never more than the seats.")
    free_seats: int = Field(description="Seats neither taken nor held by an offer.")
    waitlist_length: int = Field(description="How many wait for the workshop's work area.")
    average_waiting_days: float | None = Field(
        description="Of those waiting for the work area now, since their enrolment; none when nobody waits."
    )
    automatic_placement: bool = Field(
        description="Whether an enrolment in this work area takes a free seat by itself (else it waits "
        "and the seat is offered)."
    )


class OpenOfferView(BaseModel):
    offer_id: uuid.UUID
    workshop_id: uuid.UUID
    expires_at: dt.datetime


class PlacementView(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "0b8f2c1e-4f5a-4c3e-9d57-0a1b2c3d4e5f",
                    "status": "waitlisted",
                    "work_area": "care",
                    "workshop_id": None,
                    "placed_on": None,
                    "from_waitlist": False,
                    "waitlist_position": 1,
                    "waiting_since": "2026-11-02T09:14:00Z",
                    "waiting_days": 23.1,
                    "urgent": False,
                    "urgency_reason": None,
                    "open_offer": {
                        "offer_id": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
                        "workshop_id": "5d0c7a52-61c4-4bb8-9e0f-3f2b7f0a9c11",
                        "expires_at": "2026-11-28T09:30:00Z",
                    },
                    "ended_on": None,
                    "exited_on": None,
                    "stay": 1,
                    "enrolment_id": "3c2d1e0f-9a8b-4c7d-8e6f-5a4b3c2d1e0f",
                    "held_re_entries": 0,
                    "funders": ["jobcenter", "city"],
                }
            ]
        }
    )

    participant_id: uuid.UUID
    status: str = Field(
        description="placed, waitlisted, between_placements (a caseworker ended the placement; still in "
        "the programme), ended (exited), left_waitlist (exited while waiting) or exited_before_enrolment "
        "(the exit arrived first; no seat is taken)."
    )
    work_area: WorkArea | None
    workshop_id: uuid.UUID | None = Field(description="The workshop of the current (or last) placement.")
    placed_on: dt.date | None
    from_waitlist: bool
    waitlist_position: int | None = Field(description="1 = next to be offered a seat (urgent cases first).")
    waiting_since: dt.datetime | None = Field(
        description="While waiting: the moment of enrolment as intake stated it (the waitlist's order)."
    )
    waiting_days: float | None = Field(description="While waiting: days since `waiting_since`.")
    urgent: bool
    urgency_reason: UrgencyReason | None
    open_offer: OpenOfferView | None = Field(description="A seat offered to the person, not answered yet.")
    ended_on: dt.date | None
    exited_on: dt.date | None
    stay: int = Field(
        description="Which stay in the programme this describes: 1 = the first, 2 = after a re-entry, "
        "…; 0 while only an exit has been heard."
    )
    enrolment_id: uuid.UUID | None = Field(description="The enrolment of that stay (none on older events).")
    held_re_entries: int = Field(
        description="Re-entries heard before this stay's exit; the first starts when that exit arrives."
    )
    funders: list[Funder] = Field(description="Every funder of the stay, the main one first.")


class WaitlistEntryView(BaseModel):
    participant_id: uuid.UUID
    position: int
    waiting_since: dt.datetime = Field(description="The moment of enrolment as intake stated it.")
    waiting_days: float
    urgent: bool
    urgency_reason: UrgencyReason | None
    open_offer: OpenOfferView | None


class WaitlistPage(BaseModel):
    work_area: WorkArea
    items: list[WaitlistEntryView]
    total: int = Field(description="How many wait for this work area in all.")
    average_waiting_days: float | None = Field(description="Of everyone waiting now; none when nobody waits.")
    next_offset: int | None = Field(description="Pass as `offset` to get the next page.")


class OfferView(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "offer_id": "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
                    "participant_id": "0b8f2c1e-4f5a-4c3e-9d57-0a1b2c3d4e5f",
                    "workshop_id": "5d0c7a52-61c4-4bb8-9e0f-3f2b7f0a9c11",
                    "work_area": "care",
                    "status": "declined",
                    "offered_at": "2026-11-25T09:30:00Z",
                    "expires_at": "2026-11-28T09:30:00Z",
                    "answered_at": "2026-11-26T14:05:00Z",
                    "answered_by": "carla.case",
                    "decline_reason": "schedule_does_not_fit",
                }
            ]
        }
    )

    offer_id: uuid.UUID
    participant_id: uuid.UUID
    workshop_id: uuid.UUID
    work_area: WorkArea
    status: OfferStatus = Field(description="open, accepted, declined or expired.")
    offered_at: dt.datetime
    expires_at: dt.datetime = Field(description="Unanswered by then, the offer expires and passes on.")
    answered_at: dt.datetime | None
    answered_by: str | None = Field(description="Who accepted or declined; none when it expired.")
    decline_reason: OfferDeclineReason | None


class OfferPage(BaseModel):
    items: list[OfferView]
    total: int
    next_offset: int | None = Field(description="Pass as `offset` to get the next page.")
