"""Response bodies of notifications' delivery log (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field


class DeliveryView(BaseModel):
    delivery_id: uuid.UUID
    participant_id: uuid.UUID
    notification_kind: str = Field(description="placement, transfer, waitlisting, seat_offered, … or digest")
    trigger_event_type: str
    trigger_event_id: uuid.UUID
    channel: str = Field(description="email or webhook")
    recipient_kind: str = Field(description="staff, office or webhook")
    recipient_subject: str | None = Field(description="The staff member (token subject), if any.")
    recipient: str = Field(description="The e-mail address or the webhook URL.")
    subject: str
    language: str
    status: str = Field(description="pending, sent, failed, awaiting_recipient, in_digest or cancelled")
    attempts: int = Field(description="Attempts made so far")
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None
    failed_at: dt.datetime | None
    last_error: str | None = Field(description="The latest failure, also after a later success.")
    permanent_failure: bool
    retried_by: str | None


class DeliveryPage(BaseModel):
    items: list[DeliveryView]
    next_after: uuid.UUID | None = Field(description="Pass as `after` to get the next page.")
