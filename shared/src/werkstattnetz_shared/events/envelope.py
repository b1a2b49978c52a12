"""The one envelope every integration event travels in, on every topic.

The Kafka record value is the envelope as JSON; the record key is the participant id so that one
participant's events stay in order; the CloudEvents headers repeat the routing facts (see
`cloudevents`).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from werkstattnetz_shared.events.contracts import EventData


class EventEnvelope(BaseModel):
    # Unknown fields are ignored so the envelope itself can grow additively.
    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: uuid.UUID
    event_type: str = Field(min_length=1, description="Stable name, e.g. ParticipantEnrolled.")
    event_version: int = Field(ge=1)
    occurred_at: AwareDatetime
    producer: str = Field(min_length=1, description="The service that published the event.")
    participant_id: uuid.UUID = Field(description="Pseudonymous participant id; also the key.")
    correlation_id: uuid.UUID = Field(description="Shared by every event of one business flow.")
    causation_id: uuid.UUID | None = Field(description="The event (or request) that caused this one.")
    data: dict[str, Any]

    @field_validator("occurred_at")
    @classmethod
    def _normalise_to_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @classmethod
    def wrap(
        cls,
        data: EventData,
        *,
        producer: str,
        participant_id: uuid.UUID,
        correlation_id: uuid.UUID | None = None,
        causation_id: uuid.UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> EventEnvelope:
        """Put contract data into a fresh envelope; a new flow gets a new correlation id."""
        event_id = uuid.uuid4()
        return cls(
            event_id=event_id,
            event_type=data.event_type,
            event_version=data.event_version,
            occurred_at=occurred_at or datetime.now(UTC),
            producer=producer,
            participant_id=participant_id,
            correlation_id=correlation_id or event_id,
            causation_id=causation_id,
            data=data.model_dump(mode="json"),
        )

    def to_json_bytes(self) -> bytes:
        return json.dumps(self.model_dump(mode="json"), separators=(",", ":")).encode()

    @classmethod
    def from_json_bytes(cls, raw: bytes) -> EventEnvelope:
        return cls.model_validate_json(raw)

    @property
    def kafka_key(self) -> bytes:
        return str(self.participant_id).encode()
