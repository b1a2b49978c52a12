"""CloudEvents 1.0 binary-mode Kafka headers, so non-Python consumers can route without parsing.

Our value stays the full JSON envelope; the headers repeat its routing facts under the `ce_`
names the CloudEvents Kafka binding defines.
"""

from werkstattnetz_shared.events.envelope import EventEnvelope

SPEC_VERSION = "1.0"
TYPE_PREFIX = "org.werkstattnetz"


def cloudevent_type(event_type: str, event_version: int) -> str:
    return f"{TYPE_PREFIX}.{event_type}.v{event_version}"


def cloudevent_headers(envelope: EventEnvelope) -> list[tuple[str, bytes]]:
    """The header list aiokafka expects, in a stable order."""
    pairs = [
        ("ce_specversion", SPEC_VERSION),
        ("ce_id", str(envelope.event_id)),
        ("ce_type", cloudevent_type(envelope.event_type, envelope.event_version)),
        ("ce_source", f"/werkstattnetz/{envelope.producer}"),
        ("ce_time", envelope.occurred_at.isoformat().replace("+00:00", "Z")),
        ("ce_subject", str(envelope.participant_id)),
        ("ce_correlationid", str(envelope.correlation_id)),
        ("content-type", "application/json"),
    ]
    return [(name, value.encode()) for name, value in pairs]


def headers_as_dict(headers: list[tuple[str, bytes]] | tuple[tuple[str, bytes], ...]) -> dict[str, str]:
    return {name: value.decode(errors="replace") for name, value in headers}
