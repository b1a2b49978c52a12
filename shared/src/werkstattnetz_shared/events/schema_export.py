"""Generate the checked-in JSON Schema of every event version, or check that they are current.

Run `python -m werkstattnetz_shared.events.schema_export` after changing a contract; the unit
tests call `schemas_that_drifted()` so a forgotten regeneration fails the build.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from werkstattnetz_shared.events.contracts import EVENT_CONTRACTS, EventData
from werkstattnetz_shared.events.envelope import EventEnvelope

SCHEMA_DIR = Path(__file__).parent / "schemas"


def schema_file_name(contract: type[EventData]) -> str:
    return f"{contract.event_type}.v{contract.event_version}.schema.json"


def event_schema(contract: type[EventData]) -> dict[str, Any]:
    """The whole envelope, with `data` pinned to this contract and type/version fixed."""
    envelope = EventEnvelope.model_json_schema()
    data = contract.model_json_schema()
    definitions = {**envelope.pop("$defs", {}), **data.pop("$defs", {})}
    envelope["properties"]["data"] = data
    envelope["properties"]["event_type"] = {"const": contract.event_type, "type": "string"}
    envelope["properties"]["event_version"] = {"const": contract.event_version, "type": "integer"}
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:werkstattnetz:event:{contract.event_type}:v{contract.event_version}",
        **envelope,
        "title": f"{contract.event_type} v{contract.event_version}",
    }
    if definitions:
        schema["$defs"] = definitions
    return schema


def rendered(contract: type[EventData]) -> str:
    return json.dumps(event_schema(contract), indent=2, sort_keys=True) + "\n"


def schemas_that_drifted() -> list[str]:
    """File names whose checked-in content differs from what the contracts generate."""
    drifted = []
    for contract in EVENT_CONTRACTS.values():
        path = SCHEMA_DIR / schema_file_name(contract)
        if not path.exists() or path.read_text() != rendered(contract):
            drifted.append(path.name)
    return drifted


def write_all() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for contract in EVENT_CONTRACTS.values():
        (SCHEMA_DIR / schema_file_name(contract)).write_text(rendered(contract))


if __name__ == "__main__":
    if "--check" in sys.argv:
        drift = schemas_that_drifted()
        print("schemas drifted: " + ", ".join(drift) if drift else "schemas up to date")
        sys.exit(1 if drift else 0)
    write_all()
    print(f"wrote {len(EVENT_CONTRACTS)} schemas to {SCHEMA_DIR}")
