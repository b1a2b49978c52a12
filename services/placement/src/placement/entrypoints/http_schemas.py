"""Response bodies of placement's API (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field

from werkstattnetz_shared.events.vocabulary import WorkArea


class WorkshopView(BaseModel):
    work_area: WorkArea
    capacity: int
    occupied: int
    free_seats: int
    waitlist_length: int


class PlacementView(BaseModel):
    participant_id: uuid.UUID
    status: str = Field(
        description="placed, waitlisted, ended, left_waitlist (exited while waiting) or "
        "exited_before_enrolment (the exit arrived first; no seat is taken)."
    )
    work_area: WorkArea | None
    placed_on: dt.date | None
    from_waitlist: bool
    waitlist_position: int | None = Field(description="1 = next to be offered a seat.")
    waiting_since: dt.datetime | None
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


class WaitlistEntryView(BaseModel):
    participant_id: uuid.UUID
    position: int
    waiting_since: dt.datetime


class WaitlistPage(BaseModel):
    work_area: WorkArea
    items: list[WaitlistEntryView]
    total: int = Field(description="How many wait for this workshop in all.")
    next_offset: int | None = Field(description="Pass as `offset` to get the next page.")
