"""Generate the checked-in AsyncAPI 3.0 document of everything we publish, or check that it is current.

It is the contract for consumers outside the system (funders' reporting): one channel per topic,
one message per event type and version with the CloudEvents headers, the Kafka key and the
envelope whose `data` is that contract, plus an example. Everything comes from the contract
registry, the envelope and the relay's header function, so a new contract needs no edit here:
run `make asyncapi` (part of `make schemas`); a unit test fails when the file drifted.
"""

from __future__ import annotations

import inspect
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from werkstattnetz_shared.events.asyncapi_examples import example_envelope
from werkstattnetz_shared.events.asyncapi_producers import producers_of_contracts
from werkstattnetz_shared.events.cloudevents import SPEC_VERSION, cloudevent_headers, cloudevent_type
from werkstattnetz_shared.events.contracts import EVENT_CONTRACTS, EventData
from werkstattnetz_shared.events.schema_export import event_schema, schema_file_name
from werkstattnetz_shared.messaging.topics import (
    INTAKE_EVENTS,
    NOTIFICATIONS_EVENTS,
    OUTCOMES_EVENTS,
    PLACEMENT_EVENTS,
    TopicSettings,
)

DOCUMENT_PATH = Path(__file__).parent / "asyncapi.json"
KAFKA_BINDING = "0.5.0"
TOPIC_OF_PRODUCER = {
    topic.removesuffix(".events"): topic
    for topic in (INTAKE_EVENTS, PLACEMENT_EVENTS, OUTCOMES_EVENTS, NOTIFICATIONS_EVENTS)
}

INFO_DESCRIPTION = """\
Integration events of werkstattnetz, a youth vocational-integration programme. One topic per
producing service; each record's value is the JSON envelope (`event_id`, `event_type`,
`event_version`, `occurred_at`, `producer`, `participant_id`, `correlation_id`, `causation_id`,
`data`), its key is the pseudonymous participant id as UTF-8 text (so one participant's events
are ordered), and CloudEvents 1.0 binary-mode headers (`ce_*`) repeat the routing facts.

* **Topic names** carry the deployment's `KAFKA_TOPIC_PREFIX` in front (empty by default, e.g.
  `stage.` gives `stage.outcomes.events`).
* **Delivery is at least once**: a record may arrive twice; deduplicate by `event_id`.
* **Versions**: within a version fields are only added (optional); a breaking change is a new
  `event_version`, published side by side. Ignore fields you do not know; skip versions you do not
  handle. `data` never holds names, contact data, birth dates or free text.
"""

HEADER_DESCRIPTIONS = {
    "ce_specversion": "CloudEvents specification version.",
    "ce_id": "The envelope's `event_id`; the key to deduplicate by.",
    "ce_type": "`org.werkstattnetz.<event_type>.v<event_version>`: route on it without parsing the value.",
    "ce_source": "`/werkstattnetz/<producer>`.",
    "ce_time": "The envelope's `occurred_at` (UTC, RFC 3339).",
    "ce_subject": "The pseudonymous participant id (also the record key).",
    "ce_correlationid": "Shared by every event of one business flow.",
    "content-type": "Media type of the record value.",
}
HEADER_FORMATS = {"ce_id": "uuid", "ce_time": "date-time", "ce_subject": "uuid", "ce_correlationid": "uuid"}


def asyncapi_document() -> dict[str, Any]:
    producers = producers_of_contracts()
    schemas: dict[str, Any] = {"CloudEventsHeaders": _headers_schema()}
    messages = {_message_id(c): _message(c, producer, schemas) for c, producer in producers.items()}
    channels, operations = {}, {}
    for producer, topic in TOPIC_OF_PRODUCER.items():
        published = [_message_id(c) for c, p in producers.items() if p == producer]
        channel = f"{producer}Events"
        channels[channel] = _channel(producer, topic, published)
        operations[f"{producer}PublishesEvents"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{channel}"},
            "title": f"{producer} publishes its events",
            "summary": f"The {producer} service sends every event it publishes to `{topic}`.",
            "messages": [{"$ref": f"#/channels/{channel}/messages/{name}"} for name in published],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "werkstattnetz integration events",
            "version": version("werkstattnetz-shared"),
            "description": INFO_DESCRIPTION,
        },
        "defaultContentType": "application/json",
        "servers": {
            "local": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "description": "The local stack started by `make run` or `make up` (no prefix, no TLS).",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": dict(sorted(schemas.items()))},
    }


def _channel(producer: str, topic: str, message_ids: list[str]) -> dict[str, Any]:
    defaults = TopicSettings()
    return {
        "address": topic,
        "title": topic,
        "description": (
            f"Every event the {producer} service publishes, keyed by participant id. The topic's "
            f"real name is `KAFKA_TOPIC_PREFIX` + `{topic}`. Partitions, replicas and retention "
            "shown are the defaults (`KAFKA_TOPIC_PARTITIONS`, `…_REPLICATION_FACTOR`, `…_RETENTION_MS`)."
        ),
        "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in message_ids},
        "bindings": {
            "kafka": {
                "partitions": defaults.partitions,
                "replicas": defaults.replication_factor,
                "topicConfiguration": {"cleanup.policy": ["delete"], "retention.ms": defaults.retention_ms},
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _message(contract: type[EventData], producer: str, schemas: dict[str, Any]) -> dict[str, Any]:
    name, docstring = _message_id(contract), inspect.getdoc(contract) if contract.__doc__ else None
    envelope = example_envelope(contract, producer)
    message: dict[str, Any] = {
        "name": name,
        "title": f"{contract.event_type} v{contract.event_version}",
        "summary": _first_paragraph(docstring)
        if docstring
        else f"{contract.event_type}, published by {producer}.",
        "contentType": "application/json",
        "correlationId": {"location": "$message.header#/ce_correlationid"},
        "headers": {
            "allOf": [
                {"$ref": "#/components/schemas/CloudEventsHeaders"},
                {
                    "type": "object",
                    "properties": {
                        "ce_type": {"const": cloudevent_type(contract.event_type, contract.event_version)},
                        "ce_source": {"const": f"/werkstattnetz/{producer}"},
                    },
                },
            ]
        },
        "payload": _payload(contract, schemas),
        "bindings": {"kafka": {"key": _key_schema(), "bindingVersion": KAFKA_BINDING}},
        "examples": [
            {
                "name": f"{name}.example",
                "summary": f"A {contract.event_type} as {producer} publishes it (key: the participant id).",
                "headers": {header: value.decode() for header, value in cloudevent_headers(envelope)},
                "payload": envelope.model_dump(mode="json"),
            }
        ],
    }
    if docstring and docstring != message["summary"]:
        message["description"] = docstring
    return message


def _payload(contract: type[EventData], schemas: dict[str, Any]) -> dict[str, Any]:
    """The checked-in JSON Schema, with its `$defs` moved to the shared components: a `#/$defs/…`
    reference would otherwise point into this document's root, where no `$defs` are."""
    schema = event_schema(contract)
    for key in ("$schema", "$id"):
        schema.pop(key)
    for definition, body in _pointing_at_components(schema.pop("$defs", {})).items():
        if schemas.setdefault(definition, body) != body:
            raise ValueError(f"two contracts define {definition} differently; rename one of them")
    schema["description"] = (
        f"The envelope with `data` of {contract.event_type} v{contract.event_version}; the same JSON Schema "
        f"is checked in as `events/schemas/{schema_file_name(contract)}`."
    )
    payload: dict[str, Any] = _pointing_at_components(schema)
    return payload


def _pointing_at_components(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: value.replace("#/$defs/", "#/components/schemas/")
            if key == "$ref" and isinstance(value, str)
            else _pointing_at_components(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_pointing_at_components(item) for item in node]
    return node


def _headers_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for header, description in HEADER_DESCRIPTIONS.items():
        properties[header] = {"type": "string", "description": description}
        if header in HEADER_FORMATS:
            properties[header]["format"] = HEADER_FORMATS[header]
    properties["ce_specversion"]["const"] = SPEC_VERSION
    properties["content-type"]["const"] = "application/json"
    return {
        "type": "object",
        "description": "CloudEvents 1.0 Kafka binary-mode headers (values are UTF-8 text).",
        "required": list(HEADER_DESCRIPTIONS),
        "properties": properties,
    }


def _key_schema() -> dict[str, Any]:
    # Inline: the official AsyncAPI 3.0.0 JSON Schema finds a `$ref` here both a Reference and a
    # Schema, and its `oneOf` then refuses it.
    return {"type": "string", "format": "uuid", "description": "The participant id as UTF-8 text."}


def _message_id(contract: type[EventData]) -> str:
    return f"{contract.event_type}.v{contract.event_version}"


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n", 1)[0].split())


def unpublished_contracts() -> list[type[EventData]]:
    published = producers_of_contracts()
    return [contract for contract in EVENT_CONTRACTS.values() if contract not in published]


def rendered() -> str:
    return json.dumps(asyncapi_document(), indent=2, ensure_ascii=False) + "\n"


def document_drifted() -> bool:
    return not DOCUMENT_PATH.exists() or DOCUMENT_PATH.read_text() != rendered()


if __name__ == "__main__":
    if "--check" in sys.argv:
        drifted = document_drifted()
        print(f"{DOCUMENT_PATH.name} drifted" if drifted else f"{DOCUMENT_PATH.name} up to date")
        sys.exit(1 if drifted else 0)
    DOCUMENT_PATH.write_text(rendered())
    print(f"wrote {DOCUMENT_PATH}")
    unpublished = [contract.__name__ for contract in unpublished_contracts()]
    if unpublished:
        print("not on any topic yet (no service constructs them): " + ", ".join(unpublished), file=sys.stderr)
