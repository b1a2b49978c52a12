"""The foundation's end-to-end story, across all four services as real processes.

With one seat in `care`, two young people who prefer care are referred and enrolled; the first is
placed, the second waitlisted; the first exits into an apprenticeship; `IntegrationAchieved` is on
`outcomes.events`, the second person now holds the seat, and the SMTP sink holds exactly one mail
per notified event.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import STAFF_EMAIL, RunningSystem
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually
from tests.support.tokens import auth_header

pytestmark = pytest.mark.e2e

INTAKE = auth_header("intake")
CASEWORKER = auth_header("caseworker")
MANAGER = auth_header("manager")


def young_person(first_name: str) -> dict[str, Any]:
    return {
        "first_name": first_name,
        "last_name": "Beispiel",
        "birth_date": "2005-06-15",
        "referral_source": "youth_office",
        "funder": "city",
        "preferred_work_areas": ["care"],
        "consent_to_data_processing": True,
    }


async def refer_and_enrol(client: httpx.AsyncClient, system: RunningSystem, first_name: str) -> str:
    intake = system.urls["intake"]
    referral = await client.post(f"{intake}/v1/referrals", json=young_person(first_name), headers=INTAKE)
    assert referral.status_code == 201, referral.text
    enrolled = await client.post(
        f"{intake}/v1/referrals/{referral.json()['referral_id']}/enrol", headers=INTAKE
    )
    assert enrolled.status_code == 201, enrolled.text
    return str(enrolled.json()["participant_id"])


async def placement_of(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str
) -> dict[str, Any]:
    response = await client.get(
        f"{system.urls['placement']}/v1/participants/{participant_id}/placement", headers=CASEWORKER
    )
    return response.json() if response.status_code == 200 else {}


async def test_one_care_seat_two_young_people(system: RunningSystem) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        first = await refer_and_enrol(client, system, "Lea")
        await eventually(
            lambda: _status_is(client, system, first, "placed"), what="first person placed in care"
        )
        second = await refer_and_enrol(client, system, "Jonas")
        await eventually(
            lambda: _status_is(client, system, second, "waitlisted"), what="second person waitlisted"
        )
        care = await _care_workshop(client, system)
        assert (care["capacity"], care["occupied"], care["waitlist_length"]) == (1, 1, 1)

        outcomes = system.urls["outcomes"]
        await eventually(
            lambda: _outcome_status_is(client, system, first, "placed"), what="outcomes knows the placement"
        )
        exit_response = await client.post(
            f"{outcomes}/v1/participants/{first}/exit",
            json={"destination": "apprenticeship", "exit_date": _berlin_today()},
            headers=CASEWORKER,
        )
        assert exit_response.status_code == 201, exit_response.text
        assert exit_response.json()["integrated"] is True

        integration = await collect_events(
            system.bootstrap_servers,
            system.topic("outcomes.events"),
            until=lambda events: any(e.event_type == "IntegrationAchieved" for e in events),
        )
        achieved = [e for e in integration if e.event_type == "IntegrationAchieved"]
        assert [str(e.participant_id) for e in achieved] == [first]
        assert achieved[0].data["destination"] == "apprenticeship"
        assert achieved[0].data["work_area"] == "care"

        await eventually(
            lambda: _status_is(client, system, second, "placed"), what="second person takes the freed seat"
        )
        assert (await placement_of(client, system, first))["status"] in {"ended", "exited"}
        care = await _care_workshop(client, system)
        assert (care["occupied"], care["waitlist_length"]) == (1, 0)

        report = await client.get(f"{outcomes}/v1/reports/integration", headers=MANAGER)
        assert report.json()["exits"] == 1
        assert report.json()["integrations"] == 1

        # Notified events: first placed, second waitlisted, integration achieved, second placed.
        await _expect_mails(client, system, first, second)


async def _expect_mails(client: httpx.AsyncClient, system: RunningSystem, first: str, second: str) -> None:
    await eventually(lambda: _count_at_least(system, 4), timeout_s=60, what="four notification mails")
    await asyncio.sleep(2)  # a duplicate would arrive in this window; there must be none
    mails = system.mail.mails()
    assert len(mails) == 4, [m["Subject"] for m in mails]
    assert {m["To"] for m in mails} == {STAFF_EMAIL}
    assert len({m["Message-ID"] for m in mails}) == 4
    bodies = [m.get_body(preferencelist=("plain",)).get_content() for m in mails]  # type: ignore[union-attr]
    assert sum(first in body for body in bodies) == 2  # placed + integration
    assert sum(second in body for body in bodies) == 2  # waitlisted + placed
    for body in bodies:
        assert "Lea" not in body
        assert "Jonas" not in body
        assert "Beispiel" not in body

    deliveries = await client.get(
        f"{system.urls['notifications']}/v1/deliveries", params={"participant_id": second}, headers=MANAGER
    )
    assert deliveries.status_code == 200
    assert {item["status"] for item in deliveries.json()["items"]} == {"sent"}
    assert len(deliveries.json()["items"]) == 2
    sent = await collect_events(
        system.bootstrap_servers,
        system.topic("notifications.events"),
        until=lambda events: len(events) >= 4,
    )
    assert sorted(e.data["trigger_event_type"] for e in sent) == sorted(
        ["ParticipantPlaced", "ParticipantWaitlisted", "IntegrationAchieved", "ParticipantPlaced"]
    )


async def _count_at_least(system: RunningSystem, count: int) -> bool:
    return len(system.mail.mail_files()) >= count


async def _status_is(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str, status: str
) -> bool:
    return (await placement_of(client, system, participant_id)).get("status") == status


async def _outcome_status_is(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str, status: str
) -> bool:
    response = await client.get(
        f"{system.urls['outcomes']}/v1/participants/{participant_id}/outcome", headers=CASEWORKER
    )
    return response.status_code == 200 and response.json().get("status") == status


async def _care_workshop(client: httpx.AsyncClient, system: RunningSystem) -> dict[str, Any]:
    response = await client.get(f"{system.urls['placement']}/v1/workshops", headers=MANAGER)
    assert response.status_code == 200, response.text
    workshops = response.json()
    items = workshops["items"] if isinstance(workshops, dict) else workshops
    return next(w for w in items if w["work_area"] == "care")


def _berlin_today() -> str:
    """The services' idea of today (their default timezone), so the exit is never before enrolment."""
    return dt.datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
