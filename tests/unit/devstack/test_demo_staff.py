"""make demo's staff: a team and a lead per workshop in the directory; lead-less workshops get one."""

from __future__ import annotations

import asyncio
from typing import Any

from werkstattnetz_devstack.demo_staff import CASEWORKERS, caseworker_for, directory_entries, set_up_staff

WORKSHOPS: list[dict[str, Any]] = [
    {"workshop_id": "w-care", "work_area": "care", "lead_instructor": None},
    {"workshop_id": "w-bike", "work_area": "bike_metal", "lead_instructor": "petra.lange"},
]


class RecordedCalls:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str, dict[str, Any]]] = []

    async def put(self, service: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        self.calls.append(("PUT", service, path, body))
        return body

    async def patch(self, service: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        self.calls.append(("PATCH", service, path, body))
        return body


def test_every_workshop_lead_and_the_team_are_in_the_directory_with_an_address() -> None:
    entries = directory_entries([dict(w) for w in WORKSHOPS])
    assert {"lead.care", "petra.lange", *CASEWORKERS, "ina.kraus", "mara.vogel"} == set(entries)
    assert entries["petra.lange"]["roles"] == ["workshop_lead"]
    assert all(entry["email"].endswith("@werkstattnetz.localhost") for entry in entries.values())
    assert {entries[c]["language"] for c in CASEWORKERS} == {"de", "en"}


def test_only_a_workshop_without_lead_is_given_one_and_caseworkers_alternate() -> None:
    calls = RecordedCalls()
    said = asyncio.run(set_up_staff(calls, [dict(w) for w in WORKSHOPS]))
    patches = [call for call in calls.calls if call[0] == "PATCH"]
    assert patches == [("PATCH", "placement", "/v1/workshops/w-care", {"lead_instructor": "lead.care"})]
    assert len([call for call in calls.calls if call[0] == "PUT"]) == 6
    assert "1 workshops got a lead" in said
    assert [caseworker_for(n) for n in range(3)] == [CASEWORKERS[0], CASEWORKERS[1], CASEWORKERS[0]]
