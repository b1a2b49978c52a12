"""Caseload-scoped access (§35 SGB I) through intake's API: every endpoint that reads or changes
personal data, for every role. Out of scope answers 404 exactly like an unknown id (existence does
not leak), a wrong role 403. Intake staff see a person until enrolment; managers move a person into
another caseworker's caseload (`CaseworkerAssigned` only when it changes)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import (
    ADMIN,
    CASEWORKER,
    INTAKE_STAFF,
    MANAGER,
    OTHER_CASEWORKER,
    REPORTING,
    consent,
    enrol,
    enrolled_participant,
    interview,
    interview_body,
    refer,
)
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually

pytestmark = pytest.mark.integration

HEADERS = {
    "intake": INTAKE_STAFF,
    "own caseworker": CASEWORKER,
    "other caseworker": OTHER_CASEWORKER,
    "manager": MANAGER,
    "admin": ADMIN,
    "reporting": REPORTING,
}
ROLES = tuple(HEADERS)
ALL_REFERRALS = {"enrolled", "open", "to interview", "to reject", "to withdraw", "to enrol"}

# What each role gets, in the order the calls are made. The enrolled person is in the own
# caseworker's caseload; the open referrals have no caseworker.
#                                          intake  own cw  other cw  manager  admin  reporting
EXPECTED_STATUS: dict[str, tuple[int, ...]] = {
    "view enrolled referral":              (404,   200,    404,      200,     200,   403),
    "view open referral":                  (200,   404,    404,      200,     200,   403),
    "view enrolled participant":           (404,   200,    404,      200,     200,   403),
    "view referred participant":           (200,   404,    404,      200,     200,   403),
    "check for the same person":           (200,   403,    403,      200,     200,   403),
    "consent of enrolled":                 (404,   201,    404,      201,     201,   403),
    "consent of referred":                 (201,   404,    404,      201,     201,   403),
    "withdraw consent of enrolled":        (404,   200,    404,      200,     200,   403),
    "withdraw consent of referred":        (200,   404,    404,      200,     200,   403),
    "interview open referral":             (200,   403,    403,      200,     200,   403),
    "reject open referral":                (200,   403,    403,      200,     200,   403),
    "withdraw open referral":              (200,   403,    403,      200,     200,   403),
    "enrol open referral":                 (201,   403,    403,      201,     201,   403),
    "interview enrolled referral":         (404,   403,    403,      409,     409,   403),
    "reject enrolled referral":            (404,   403,    403,      409,     409,   403),
    "withdraw enrolled referral":          (404,   403,    403,      409,     409,   403),
    "enrol enrolled referral":             (404,   403,    403,      409,     409,   403),
    "assign a caseworker":                 (403,   403,    403,      200,     200,   403),
    "erase personal data":                 (403,   403,    403,      403,     200,   403),
    "read the audit log":                  (403,   403,    403,      403,     200,   403),
}  # fmt: skip
EXPECTED_LISTED: dict[str, tuple[set[str] | int, ...]] = {
    "list referrals": (
        ALL_REFERRALS - {"enrolled"},
        {"enrolled"},
        set(),
        ALL_REFERRALS,
        ALL_REFERRALS,
        403,
    ),
    "list participants": (set(), {"enrolled"}, set(), {"enrolled"}, {"enrolled"}, 403),
}


@dataclass
class Scenario:
    """One enrolled person in the own caseworker's caseload, open referrals without caseworker."""

    participants: dict[str, str] = field(default_factory=dict)  # label → participant id
    referrals: dict[str, str] = field(default_factory=dict)  # label → referral id
    consents: dict[str, str] = field(default_factory=dict)  # label → a consent that may be withdrawn


async def scenario(client: httpx.AsyncClient) -> Scenario:
    built = Scenario()
    enrolled, enrolled_referral = await enrolled_participant(
        client, caseworker="cara.caseworker", first_name="Paula", last_name="Eins"
    )
    built.participants["enrolled"], built.referrals["enrolled"] = enrolled, enrolled_referral
    for label, name in [
        ("open", "Zwei"),
        ("to interview", "Drei"),
        ("to reject", "Vier"),
        ("to withdraw", "Fuenf"),
        ("to enrol", "Sechs"),
    ]:
        received = await refer(client, headers=MANAGER, first_name="Paul", last_name=name)
        built.referrals[label] = received["referral_id"]
        built.participants[label] = received["participant_id"]
    await interview(client, built.referrals["to enrol"], headers=MANAGER)
    await consent(client, built.participants["to enrol"], headers=MANAGER)
    for label in ("enrolled", "open"):
        built.consents[label] = await consent(
            client, built.participants[label], purpose="sharing_with_funder", headers=MANAGER
        )
    return built


Call = Callable[[httpx.AsyncClient, dict[str, str], Scenario], Awaitable[httpx.Response]]
SHARING = {"purpose": "sharing_with_funder", "given_by": "participant"}


def calls() -> dict[str, tuple[str, Callable[[Scenario], tuple[str, str]], dict[str, Any] | None]]:
    """Each call as (method, path from the scenario with the id it is about, body)."""

    def referral(label: str, action: str = "") -> Callable[[Scenario], tuple[str, str]]:
        return lambda s: (f"/v1/referrals/{s.referrals[label]}{action}", s.referrals[label])

    def participant(label: str, action: str = "") -> Callable[[Scenario], tuple[str, str]]:
        return lambda s: (f"/v1/participants/{s.participants[label]}{action}", s.participants[label])

    def withdraw_consent(label: str) -> Callable[[Scenario], tuple[str, str]]:
        return lambda s: (
            f"/v1/participants/{s.participants[label]}/consents/{s.consents[label]}/withdraw",
            s.participants[label],
        )

    funding = {"funding": [{"funder": "city", "legal_basis": "city", "share_percent": 100}]}
    return {
        "view enrolled referral": ("GET", referral("enrolled"), None),
        "view open referral": ("GET", referral("open"), None),
        "view enrolled participant": ("GET", participant("enrolled"), None),
        "view referred participant": ("GET", participant("open"), None),
        "check for the same person": (
            "GET",
            lambda s: ("/v1/people/same-person?first_name=Paula&last_name=Eins&birth_date=2006-04-12", ""),
            None,
        ),
        "consent of enrolled": ("POST", participant("enrolled", "/consents"), SHARING),
        "consent of referred": ("POST", participant("open", "/consents"), SHARING),
        "withdraw consent of enrolled": ("POST", withdraw_consent("enrolled"), {}),
        "withdraw consent of referred": ("POST", withdraw_consent("open"), {}),
        "interview open referral": ("POST", referral("to interview", "/interview"), interview_body()),
        "reject open referral": ("POST", referral("to reject", "/reject"), {"reason": "other"}),
        "withdraw open referral": ("POST", referral("to withdraw", "/withdraw"), {"reason": "other"}),
        "enrol open referral": ("POST", referral("to enrol", "/enrol"), funding),
        "interview enrolled referral": ("POST", referral("enrolled", "/interview"), interview_body()),
        "reject enrolled referral": ("POST", referral("enrolled", "/reject"), {"reason": "other"}),
        "withdraw enrolled referral": ("POST", referral("enrolled", "/withdraw"), {"reason": "other"}),
        "enrol enrolled referral": ("POST", referral("enrolled", "/enrol"), funding),
        "assign a caseworker": (
            "PUT",
            participant("enrolled", "/caseworker"),
            {"caseworker": "cara.caseworker"},
        ),
        "erase personal data": ("POST", participant("open", "/erasure"), None),
        "read the audit log": ("GET", lambda s: ("/v1/audit-log", ""), None),
    }


@pytest.mark.parametrize("role", ROLES)
async def test_every_personal_data_endpoint_answers_each_role_by_caseload(
    intake: IntakeUnderTest, role: str
) -> None:
    client, headers = intake.client, HEADERS[role]
    built = await scenario(client)
    label_of = {referral_id: label for label, referral_id in built.referrals.items()}
    participant_label = {participant_id: label for label, participant_id in built.participants.items()}

    listed: dict[str, set[str] | int] = {}
    response = await client.get("/v1/referrals", params={"limit": 200}, headers=headers)
    listed["list referrals"] = (
        {label_of[item["referral_id"]] for item in response.json()["items"]}
        if response.status_code == 200
        else response.status_code
    )
    response = await client.get("/v1/participants", params={"limit": 200}, headers=headers)
    listed["list participants"] = (
        {participant_label[item["person"]["participant_id"]] for item in response.json()["items"]}
        if response.status_code == 200
        else response.status_code
    )
    column = ROLES.index(role)
    assert listed == {name: row[column] for name, row in EXPECTED_LISTED.items()}

    statuses: dict[str, int] = {}
    for name, (method, where, body) in calls().items():
        path, about = where(built)
        response = await client.request(method, path, json=body, headers=headers)
        statuses[name] = response.status_code
        if response.status_code == 404:
            await _same_as_for_an_unknown_id(client, method, path, about, body, headers, response)
    assert statuses == {name: row[column] for name, row in EXPECTED_STATUS.items()}


async def _same_as_for_an_unknown_id(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    about: str,
    body: dict[str, Any] | None,
    headers: dict[str, str],
    out_of_scope: httpx.Response,
) -> None:
    """An out-of-scope id answers exactly like one that does not exist."""
    unknown = str(uuid.uuid4())
    answer = await client.request(method, path.replace(about, unknown), json=body, headers=headers)
    assert answer.status_code == 404
    assert out_of_scope.json() == _with_id(answer.json(), unknown, about)


def _with_id(answer: dict[str, Any], unknown: str, known: str) -> dict[str, Any]:
    error = answer["error"]
    return {"error": error | {"message": error["message"].replace(unknown, known)}}


async def test_intake_staff_see_a_person_until_they_are_enrolled(intake: IntakeUnderTest) -> None:
    client = intake.client
    # An earlier referral was rejected; the later one is enrolled.
    first = await refer(client)
    participant_id = first["participant_id"]
    await client.post(
        f"/v1/referrals/{first['referral_id']}/reject", json={"reason": "other"}, headers=INTAKE_STAFF
    )
    second = await refer(client, same_person_as=participant_id)
    await interview(client, second["referral_id"])
    await consent(client, participant_id)

    async def intake_sees() -> dict[str, int | set[str]]:
        listed = await client.get("/v1/referrals", headers=INTAKE_STAFF)
        return {
            "person": (
                await client.get(f"/v1/participants/{participant_id}", headers=INTAKE_STAFF)
            ).status_code,
            "rejected": (
                await client.get(f"/v1/referrals/{first['referral_id']}", headers=INTAKE_STAFF)
            ).status_code,
            "listed": {item["referral_id"] for item in listed.json()["items"]},
        }

    assert await intake_sees() == {
        "person": 200,
        "rejected": 200,
        "listed": {first["referral_id"], second["referral_id"]},
    }
    assert (await enrol(client, second["referral_id"])).status_code == 201
    # Enrolled: the person is in case work now, also their old rejected referral.
    assert await intake_sees() == {"person": 404, "rejected": 404, "listed": set()}

    # After the exit a new referral brings the person back to intake, but not their enrolled stay.
    await intake.publish_exit(participant_id, intake.today)

    async def exit_heard() -> bool:
        return bool(await intake.value("SELECT count(*) FROM referrals WHERE enrolment_ended_on IS NOT NULL"))

    await eventually(exit_heard, what="intake hearing of the exit")
    third = await refer(client, same_person_as=participant_id)
    assert await intake_sees() == {
        "person": 200,
        "rejected": 200,
        "listed": {first["referral_id"], third["referral_id"]},
    }
    enrolled_stay = await client.get(f"/v1/referrals/{second['referral_id']}", headers=INTAKE_STAFF)
    assert enrolled_stay.status_code == 404


async def test_managers_move_a_person_into_another_caseload(intake: IntakeUnderTest) -> None:
    client = intake.client
    participant_id, referral_id = await enrolled_participant(client, caseworker="cara.caseworker")

    async def assign(caseworker: str) -> httpx.Response:
        return await client.put(
            f"/v1/participants/{participant_id}/caseworker", json={"caseworker": caseworker}, headers=MANAGER
        )

    async def who_sees() -> dict[str, int]:
        return {
            who: (await client.get(f"/v1/participants/{participant_id}", headers=HEADERS[who])).status_code
            for who in ("own caseworker", "other caseworker")
        }

    assert await who_sees() == {"own caseworker": 200, "other caseworker": 404}
    unchanged = await assign("cara.caseworker")
    assert unchanged.status_code == 200
    assert unchanged.json() == {"participant_id": participant_id, "caseworker": "cara.caseworker"}
    assert (await assign("otto.caseworker")).status_code == 200
    assert await who_sees() == {"own caseworker": 404, "other caseworker": 200}
    listed = await client.get("/v1/participants", headers=OTHER_CASEWORKER)
    assert [item["person"]["participant_id"] for item in listed.json()["items"]] == [participant_id]
    assert (await client.get(f"/v1/referrals/{referral_id}", headers=OTHER_CASEWORKER)).status_code == 200
    assert (await client.get("/v1/participants", headers=CASEWORKER)).json()["items"] == []
    assert (await assign("otto.caseworker")).status_code == 200

    # Published only when it changed: at enrolment and on the move to otto, not for the repeats.
    events = await collect_events(
        intake.bootstrap_servers,
        intake.events_topic,
        until=lambda found: sum(e.event_type == "CaseworkerAssigned" for e in found) >= 2,
    )
    assigned = [e for e in events if e.event_type == "CaseworkerAssigned"]
    assert [e.data["caseworker"] for e in assigned] == ["cara.caseworker", "otto.caseworker"]
    assert {str(e.participant_id) for e in assigned} == {participant_id}
    assert await intake.value("SELECT count(*) FROM outbox WHERE event_type = 'CaseworkerAssigned'") == 2

    unknown = await client.put(
        f"/v1/participants/{uuid.uuid4()}/caseworker", json={"caseworker": "otto.caseworker"}, headers=MANAGER
    )
    assert unknown.status_code == 404
