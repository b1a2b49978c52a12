"""The AsyncAPI document: current, complete, well-formed, and every example valid against its schema."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator

from werkstattnetz_shared.events import EVENT_CONTRACTS, EventData, EventEnvelope, parse_event_data
from werkstattnetz_shared.events.asyncapi import DOCUMENT_PATH, TOPIC_OF_PRODUCER, asyncapi_document
from werkstattnetz_shared.events.asyncapi_producers import (
    ProducerUnclearError,
    _contracts_constructed_in,
    producers_of_contracts,
)
from werkstattnetz_shared.events.cloudevents import cloudevent_headers
from werkstattnetz_shared.events.schema_export import SCHEMA_DIR, schema_file_name

CONTRACTS = list(EVENT_CONTRACTS.values())


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return asyncapi_document()


def _message(document: dict[str, Any], contract: type[EventData]) -> dict[str, Any]:
    message: dict[str, Any] = document["components"]["messages"][
        f"{contract.event_type}.v{contract.event_version}"
    ]
    return message


def _resolve(document: dict[str, Any], reference: str) -> Any:
    assert reference.startswith("#/"), reference
    node: Any = document
    for part in reference[2:].split("/"):
        node = node[part]
    return node


def _within_document(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with the document's components beside it, so `#/components/…` resolves."""
    return {**schema, "components": document["components"]}


def test_checked_in_document_is_current(document: dict[str, Any]) -> None:
    checked_in = json.loads(DOCUMENT_PATH.read_text())
    assert checked_in == document, "run: make asyncapi"


def test_every_contract_is_published_by_exactly_one_service() -> None:
    producers = producers_of_contracts()
    unpublished = [contract.__name__ for contract in CONTRACTS if contract not in producers]
    assert unpublished == [], "no service constructs these contracts, so they are on no topic"
    assert set(producers.values()) <= set(TOPIC_OF_PRODUCER)


def test_document_has_the_asyncapi_3_shape(document: dict[str, Any]) -> None:
    assert document["asyncapi"] == "3.0.0"
    assert {"title", "version", "description"} <= set(document["info"])
    assert document["servers"]["local"]["protocol"] == "kafka"
    assert {channel["address"] for channel in document["channels"].values()} == {
        "intake.events",
        "placement.events",
        "outcomes.events",
        "notifications.events",
    }
    for channel in document["channels"].values():
        assert "KAFKA_TOPIC_PREFIX" in channel["description"]
    for operation in document["operations"].values():
        assert operation["action"] == "send"
        channel_ref = operation["channel"]["$ref"]
        channel = _resolve(document, channel_ref)
        assert {ref["$ref"].rsplit("/", 1)[-1] for ref in operation["messages"]} == set(channel["messages"])
        assert all(ref["$ref"].startswith(channel_ref + "/messages/") for ref in operation["messages"])


def test_every_reference_in_the_document_resolves(document: dict[str, Any]) -> None:
    references: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            references.extend(value for key, value in node.items() if key == "$ref")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(document)
    assert len(references) > len(CONTRACTS)
    for reference in references:
        _resolve(document, reference)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: f"{c.event_type}.v{c.event_version}")
def test_every_contract_has_a_complete_message_on_its_producers_channel(
    document: dict[str, Any], contract: type[EventData]
) -> None:
    message = _message(document, contract)
    assert {"name", "title", "summary", "contentType", "headers", "payload", "bindings", "examples"} <= set(
        message
    )
    assert message["contentType"] == "application/json"
    assert message["bindings"]["kafka"]["key"]["format"] == "uuid"
    producer = producers_of_contracts()[contract]
    channel = document["channels"][f"{producer}Events"]
    assert channel["address"] == TOPIC_OF_PRODUCER[producer]
    assert channel["messages"][message["name"]] == {"$ref": f"#/components/messages/{message['name']}"}


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: f"{c.event_type}.v{c.event_version}")
def test_every_example_is_valid_against_its_schemas(
    document: dict[str, Any], contract: type[EventData]
) -> None:
    message = _message(document, contract)
    (example,) = message["examples"]
    checked_in_schema = json.loads((SCHEMA_DIR / schema_file_name(contract)).read_text())
    Draft202012Validator(checked_in_schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        example["payload"]
    )
    Draft7Validator(_within_document(document, message["payload"])).validate(example["payload"])
    Draft7Validator(_within_document(document, message["headers"])).validate(example["headers"])
    envelope = EventEnvelope.model_validate(example["payload"])
    assert isinstance(parse_event_data(envelope), contract)
    assert example["headers"] == {name: value.decode() for name, value in cloudevent_headers(envelope)}


def test_a_wrong_example_is_refused_by_the_document_schemas(document: dict[str, Any]) -> None:
    message = document["components"]["messages"]["ParticipantExited.v1"]
    (example,) = message["examples"]
    wrong_payload = {**example["payload"], "data": {**example["payload"]["data"], "destination": "prison"}}
    wrong_headers = {**example["headers"], "ce_type": "org.werkstattnetz.IntegrationAchieved.v1"}
    assert not Draft7Validator(_within_document(document, message["payload"])).is_valid(wrong_payload)
    assert not Draft7Validator(_within_document(document, message["headers"])).is_valid(wrong_headers)


def test_producers_are_read_under_any_local_name_and_only_where_constructed() -> None:
    module = ast.parse(
        "from werkstattnetz_shared.events import OfferDeclined as Declined, ParticipantPlaced\n"
        "from placement.domain.events import OfferExpired\n"
        "def publish():\n"
        "    Declined(reason='other'); OfferExpired()\n"
        "def handle(data):\n"
        "    match data:\n"
        "        case ParticipantPlaced(): pass\n"
    )
    names = {contract.__name__ for contract in CONTRACTS}
    assert _contracts_constructed_in(module, names) == {"OfferDeclined"}


def test_a_contract_constructed_by_two_services_is_refused(tmp_path: Path) -> None:
    for service in ("intake", "outcomes"):
        source = tmp_path / "services" / service / "src" / service
        source.mkdir(parents=True)
        (source / "events.py").write_text(
            "from werkstattnetz_shared.events import ParticipantExited\nParticipantExited()\n"
        )
    with pytest.raises(ProducerUnclearError, match=r"ParticipantExited: \['intake', 'outcomes'\]"):
        producers_of_contracts(tmp_path)


# The official AsyncAPI 3.0.0 JSON Schema, fetched by `make test`/`make unit` from npm's
# @asyncapi/specs (Makefile: ASYNCAPI_SPECS), so the document is checked against the specification.
OFFICIAL_SCHEMA = Path(__file__).parents[3] / ".cache" / "asyncapi-specs" / "6.11.1" / "3.0.0.json"


def test_the_document_is_valid_against_the_official_asyncapi_3_schema(document: dict[str, Any]) -> None:
    assert OFFICIAL_SCHEMA.exists(), f"{OFFICIAL_SCHEMA} is missing: `make test` fetches it (npm)"
    specification = json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    problems = sorted(
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in Draft7Validator(specification).iter_errors(document)
    )
    assert problems == []


def test_the_official_schema_would_notice_a_broken_document(document: dict[str, Any]) -> None:
    specification = json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    broken = {**document, "channels": {"intake.events": {"address": 42}}}
    assert not Draft7Validator(specification).is_valid(broken)
