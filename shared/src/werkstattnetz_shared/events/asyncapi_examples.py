"""One realistic, deterministic example per event contract, for the AsyncAPI document.

Examples are derived from each contract's JSON Schema, so a new contract gets one without anyone
writing it by hand; a contract that wants a better one declares it itself
(`model_config = ConfigDict(json_schema_extra={"examples": [...]})`) and that one is used.
Field names that recur across contracts get plausible values below; everything else gets the
schema's first enum value, its lower bound, or a fixed date. Every example is validated by its
contract before it is used, and ids are derived from the event type so regeneration is stable.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from werkstattnetz_shared.events.contracts import EventData
from werkstattnetz_shared.events.envelope import EventEnvelope

EXAMPLE_NAMESPACE = uuid.UUID("5f0c1a52-2d7e-4c52-9a39-6b1f4f0e0a11")
EXAMPLE_PARTICIPANT_ID = uuid.UUID("0b9a3c7e-54d2-4f8e-9a61-2f7d4c1e8b35")
EXAMPLE_MOMENT = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)

# Plausible values for fields whose generic value (first enum value, lower bound) would mislead.
VALUES_BY_FIELD: dict[str, Any] = {
    "age_band": "18-20",
    "destination": "apprenticeship",
    "integrated": True,
    "from_waitlist": True,
    "kind": "offer_accepted",
    "preferred_work_areas": ["care", "garden_landscape"],
    "work_area": "care",
    "share_percent": 100,
    "position": 2,
    "unexcused_days": 3,
    "threshold": 3,
    "streak_started_on": "2025-03-11",
    "expires_at": "2025-03-17T09:30:00Z",
    "exit_date": "2024-09-13",  # six months before: the follow-up examples fall due on the day
    "due_on": "2025-03-13",
    "caseworker": "jana",
    "notification_kind": "integration",
    "channel": "email",
    "trigger_event_type": "IntegrationAchieved",
}


def example_envelope(contract: type[EventData], producer: str) -> EventEnvelope:
    """A complete event as the producer would publish it."""
    data = contract.model_validate(example_data(contract))
    event_id = _example_uuid(f"{contract.event_type}.v{contract.event_version}")
    return EventEnvelope(
        event_id=event_id,
        event_type=contract.event_type,
        event_version=contract.event_version,
        occurred_at=EXAMPLE_MOMENT,
        producer=producer,
        participant_id=EXAMPLE_PARTICIPANT_ID,
        correlation_id=_example_uuid("correlation"),
        causation_id=_example_uuid("causation"),
        data=data.model_dump(mode="json"),
    )


def example_data(contract: type[EventData]) -> dict[str, Any]:
    schema = contract.model_json_schema()
    declared = schema.get("examples")
    if declared:
        first: dict[str, Any] = declared[0]
        return first
    value: dict[str, Any] = _example_of(schema, schema.get("$defs", {}), field=None)
    return value


def _example_of(schema: dict[str, Any], definitions: dict[str, Any], field: str | None) -> Any:
    if field in VALUES_BY_FIELD:
        return VALUES_BY_FIELD[field]
    if "$ref" in schema:
        return _example_of(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions, field)
    if "anyOf" in schema:  # optional fields: show the value, not the null
        present = [option for option in schema["anyOf"] if option.get("type") != "null"]
        return _example_of(present[0], definitions, field)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    return _example_of_type(schema, definitions, field)


def _example_of_type(schema: dict[str, Any], definitions: dict[str, Any], field: str | None) -> Any:
    kind = schema.get("type")
    if kind == "object":
        return {
            name: _example_of(property_schema, definitions, name)
            for name, property_schema in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [_example_of(schema.get("items", {}), definitions, None)] * max(1, schema.get("minItems", 1))
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1), schema.get("exclusiveMinimum", 0) + 1)
    match schema.get("format"):
        case "uuid":
            return str(_example_uuid(field or "value"))
        case "date":
            return EXAMPLE_MOMENT.date().isoformat()
        case "date-time":
            return EXAMPLE_MOMENT.isoformat().replace("+00:00", "Z")
    return "example"[: schema.get("maxLength", 7)].ljust(schema.get("minLength", 1), "x")


def _example_uuid(name: str) -> uuid.UUID:
    return uuid.uuid5(EXAMPLE_NAMESPACE, name)
