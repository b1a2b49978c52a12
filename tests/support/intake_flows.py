"""Driving intake's API through its workflow in tests: refer, interview, consent, enrol."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from tests.support.tokens import auth_header

INTAKE_STAFF = auth_header("intake", subject="ines.intake")
MANAGER = auth_header("manager", subject="mara.manager")
ADMIN = auth_header("admin", subject="ada.admin")
CASEWORKER = auth_header("caseworker", subject="cara.caseworker")
OTHER_CASEWORKER = auth_header("caseworker", subject="otto.caseworker")
REPORTING = auth_header("reporting", subject="rita.reporting")

JOBCENTER_ONLY = [{"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 100}]


def referral_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Mia",
        "last_name": "Krause",
        "birth_date": "2006-04-12",
        "email": "mia.krause@example.org",
        "phone": "+49 341 1234567",
        "referral_source": "jobcenter",
        "referring_organisation": "Jobcenter Leipzig, Team U25",
        "contact_person": "Frau Berger",
        "preferred_work_areas": ["care", "garden_landscape"],
    }
    return body | overrides


def years_ago(today: dt.date, years: int, *, days: int = 0) -> dt.date:
    """The birth date of someone who turned `years` old `days` days before `today`."""
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - dt.timedelta(days=days)


def interview_body(**overrides: Any) -> dict[str, Any]:
    return {"has_completed_vocational_training": False, "is_employed": False, "note": "motivated"} | overrides


async def refer(
    client: httpx.AsyncClient, headers: dict[str, str] = INTAKE_STAFF, **overrides: Any
) -> dict[str, Any]:
    response = await client.post("/v1/referrals", json=referral_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def interview(
    client: httpx.AsyncClient, referral_id: str, headers: dict[str, str] = INTAKE_STAFF, **overrides: Any
) -> None:
    response = await client.post(
        f"/v1/referrals/{referral_id}/interview", json=interview_body(**overrides), headers=headers
    )
    assert response.status_code == 200, response.text


async def consent(
    client: httpx.AsyncClient,
    participant_id: str,
    *,
    given_by: str = "participant",
    purpose: str = "data_processing",
    headers: dict[str, str] = INTAKE_STAFF,
) -> str:
    body: dict[str, Any] = {"purpose": purpose, "given_by": given_by}
    if given_by == "guardian":
        body["guardian_name"] = "Sabine Krause"
    response = await client.post(f"/v1/participants/{participant_id}/consents", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["consent_id"])


async def enrol(
    client: httpx.AsyncClient,
    referral_id: str,
    *,
    funding: list[dict[str, Any]] | None = None,
    caseworker: str | None = None,
    enrolled_on: dt.date | None = None,
    headers: dict[str, str] = INTAKE_STAFF,
) -> httpx.Response:
    body: dict[str, Any] = {"funding": funding or JOBCENTER_ONLY}
    if caseworker is not None:
        body["caseworker"] = caseworker
    if enrolled_on is not None:
        body["enrolled_on"] = enrolled_on.isoformat()
    return await client.post(f"/v1/referrals/{referral_id}/enrol", json=body, headers=headers)


async def enrolled_participant(
    client: httpx.AsyncClient, *, caseworker: str | None = None, **overrides: Any
) -> tuple[str, str]:
    """Refer, interview, consent and enrol someone; returns (participant_id, referral_id)."""
    received = await refer(client, **overrides)
    participant_id, referral_id = received["participant_id"], received["referral_id"]
    await interview(client, referral_id)
    await consent(client, participant_id)
    response = await enrol(client, referral_id, caseworker=caseworker)
    assert response.status_code == 201, response.text
    return participant_id, referral_id
