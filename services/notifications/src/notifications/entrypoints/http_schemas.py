"""Response bodies of notifications' API (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field


class DeliveryView(BaseModel):
    delivery_id: uuid.UUID
    participant_id: uuid.UUID
    notification_kind: str = Field(description="placement, waitlisting or integration")
    trigger_event_type: str
    trigger_event_id: uuid.UUID
    recipient: str
    subject: str
    status: str = Field(description="pending, sent or failed")
    attempts: int = Field(description="SMTP attempts made so far")
    created_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str | None = Field(description="The latest SMTP failure, also after a later success.")


class DeliveryPage(BaseModel):
    items: list[DeliveryView]
    next_after: uuid.UUID | None = Field(description="Pass as `after` to get the next page.")
