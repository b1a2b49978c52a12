"""The end-to-end story, across all four services as real processes.

With one seat in `care`, two young people who prefer care are referred, interviewed, consent to
the processing of their data and are enrolled, co-funded by the Jobcenter and the city; Lea gets
her caseworker at enrolment, Jonas his from a manager afterwards. Lea is placed, Jonas waitlisted;
Lea exits into an apprenticeship: `IntegrationAchieved` is on `outcomes.events`, intake hears she
left, Jonas now holds the seat, and the SMTP sink holds exactly one mail per notified event.
Finally an admin erases Lea's personal data: intake's file of her is gone (410),
`ParticipantDataErased` is on `intake.events`, and every answer and count of placement, outcomes
and notifications stays as it was.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import STAFF_EMAIL, RunningSystem
from tests.support.intake_flows import ADMIN, MANAGER, consent, enrol, interview, refer
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually
from tests.support.tokens import auth_header

pytestmark = pytest.mark.e2e

CASEWORKER = auth_header("caseworker", subject="carla.case")
CO_FUNDED = [
    {"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 60},
    {"funder": "city", "legal_basis": "city", "share_percent": 40},
]


async def welcome(client: httpx.AsyncClient, first_name: str, *, caseworker: str | None = None) -> str:
    """Referral → interview → consent → enrolment (co-funded); the participant id from the referral on."""
    received = await refer(
        client,
        first_name=first_name,
        last_name="Beispiel",
        birth_date="2005-06-15",
        email=None,
        phone=None,
        referral_source="youth_office",
        referring_organisation="Jugendamt Leipzig",
        contact_person="Herr Wolf",
        preferred_work_areas=["care"],
    )
    participant_id = str(received["participant_id"])
    await interview(client, received["referral_id"], note="wants to work with older people")
    await consent(client, participant_id)
    enrolled = await enrol(client, received["referral_id"], funding=CO_FUNDED, caseworker=caseworker)
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["participant_id"] == participant_id
    assert enrolled.json()["enrolment"]["main_funder"] == "jobcenter"
    return participant_id


async def placement_of(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str
) -> dict[str, Any]:
    response = await client.get(
        f"{system.urls['placement']}/v1/participants/{participant_id}/placement", headers=CASEWORKER
    )
    return response.json() if response.status_code == 200 else {}


async def test_one_care_seat_two_young_people(system: RunningSystem) -> None:
    async with httpx.AsyncClient(base_url=system.urls["intake"], timeout=10) as client:
        first = await welcome(client, "Lea", caseworker="carla.case")
        await eventually(
            lambda: _status_is(client, system, first, "placed"), what="first person placed in care"
        )
        second = await welcome(client, "Jonas")
        assigned = await client.put(
            f"/v1/participants/{second}/caseworker", json={"caseworker": "kim.case"}, headers=MANAGER
        )
        assert assigned.status_code == 200, assigned.text
        await eventually(
            lambda: _status_is(client, system, second, "waitlisted"), what="second person waitlisted"
        )
        care = await _care_workshop(client, system)
        assert (care["capacity"], care["occupied"], care["waitlist_length"]) == (1, 1, 1)
        lea = await client.get(f"/v1/participants/{first}", headers=CASEWORKER)  # her caseworker
        assert lea.status_code == 200, lea.text
        assert (lea.json()["first_name"], lea.json()["caseworker"]) == ("Lea", "carla.case")
        not_his = await client.get(f"/v1/participants/{second}", headers=CASEWORKER)
        assert not_his.status_code == 404  # Jonas is kim.case's

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
        await eventually(lambda: _intake_knows_she_left(client, first), what="intake hears Lea left")

        report = await client.get(f"{outcomes}/v1/reports/integration", headers=MANAGER)
        assert report.json()["exits"] == 1
        assert report.json()["integrations"] == 1

        # Notified events: first placed, second waitlisted, integration achieved, second placed.
        await _expect_mails(client, system, first, second)
        await _expect_intake_events(system, first, second)

        await _erase_and_expect_counts_unchanged(client, system, first, second)


async def _expect_intake_events(system: RunningSystem, first: str, second: str) -> None:
    events = await collect_events(
        system.bootstrap_servers, system.topic("intake.events"), until=lambda events: len(events) >= 6
    )
    for participant_id, caseworker in ((first, "carla.case"), (second, "kim.case")):
        own = [e for e in events if str(e.participant_id) == participant_id]
        assert [e.event_type for e in own] == [
            "ReferralReceived",
            "ParticipantEnrolled",
            "CaseworkerAssigned",
        ]
        assert own[1].data["funder"] == "jobcenter"
        assert own[1].data["funding"] == CO_FUNDED
        assert own[2].data["caseworker"] == caseworker


async def _erase_and_expect_counts_unchanged(
    client: httpx.AsyncClient, system: RunningSystem, first: str, second: str
) -> None:
    before = await _what_the_other_services_answer(client, system, first, second)

    erased = await client.post(f"/v1/participants/{first}/erasure", headers=ADMIN)
    assert erased.status_code == 200, erased.text
    gone = await client.get(f"/v1/participants/{first}", headers=ADMIN)
    assert gone.status_code == 410, gone.text
    assert gone.json()["error"]["code"] == "participant_data_erased"
    jonas = await client.get(f"/v1/participants/{second}", headers=MANAGER)
    assert jonas.json()["first_name"] == "Jonas"
    events = await collect_events(
        system.bootstrap_servers,
        system.topic("intake.events"),
        until=lambda events: any(e.event_type == "ParticipantDataErased" for e in events),
    )
    erasures = [e for e in events if e.event_type == "ParticipantDataErased"]
    assert [str(e.participant_id) for e in erasures] == [first]

    await asyncio.sleep(2)  # time for the other services to take the event (they keep no personal data)
    assert await _what_the_other_services_answer(client, system, first, second) == before
    assert len(system.mail.mails()) == 4


async def _what_the_other_services_answer(
    client: httpx.AsyncClient, system: RunningSystem, first: str, second: str
) -> dict[str, Any]:
    placement, outcomes, notifications = (system.urls[s] for s in ("placement", "outcomes", "notifications"))
    answers: dict[str, Any] = {}
    for participant_id in (first, second):
        answers[f"placement {participant_id}"] = await placement_of(client, system, participant_id)
        outcome = await client.get(f"{outcomes}/v1/participants/{participant_id}/outcome", headers=MANAGER)
        answers[f"outcome {participant_id}"] = outcome.json()
        deliveries = await client.get(
            f"{notifications}/v1/deliveries", params={"participant_id": participant_id}, headers=MANAGER
        )
        answers[f"deliveries {participant_id}"] = deliveries.json()
    answers["workshops"] = (await client.get(f"{placement}/v1/workshops", headers=MANAGER)).json()
    for funder in (None, "jobcenter"):
        params = {"funder": funder} if funder else {}
        report = await client.get(f"{outcomes}/v1/reports/integration", params=params, headers=MANAGER)
        assert report.status_code == 200, report.text
        answers[f"report {funder}"] = report.json()
    assert answers["report jobcenter"]["exits"] == 1  # Lea's main funder
    return answers


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


async def _intake_knows_she_left(client: httpx.AsyncClient, participant_id: str) -> bool:
    """intake ends the enrolment on `ParticipantExited`: a later referral would be a re-entry."""
    response = await client.get(
        "/v1/participants", params={"active": "false", "caseworker": "carla.case"}, headers=MANAGER
    )
    assert response.status_code == 200, response.text
    left = {item["person"]["participant_id"]: item["ended_on"] for item in response.json()["items"]}
    return left.get(participant_id) == _berlin_today()


async def _care_workshop(client: httpx.AsyncClient, system: RunningSystem) -> dict[str, Any]:
    response = await client.get(f"{system.urls['placement']}/v1/workshops", headers=MANAGER)
    assert response.status_code == 200, response.text
    workshops = response.json()
    items = workshops["items"] if isinstance(workshops, dict) else workshops
    return next(w for w in items if w["work_area"] == "care")


def _berlin_today() -> str:
    """The services' idea of today (their default timezone), so the exit is never before enrolment."""
    return dt.datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
