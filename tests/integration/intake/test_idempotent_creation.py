"""Idempotency-Key on intake's creating requests: a client that retries after a timeout creates no
second person, consent or enrolment, even when both tries arrive at once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import (
    INTAKE_STAFF,
    JOBCENTER_ONLY,
    MANAGER,
    consent,
    interview,
    refer,
    referral_body,
)
from tests.support.tokens import auth_header

pytestmark = pytest.mark.integration


def with_key(key: str, headers: dict[str, str] = INTAKE_STAFF) -> dict[str, str]:
    return headers | {"Idempotency-Key": key}


async def _count(intake: IntakeUnderTest, query: str, *args: Any) -> int:
    connection = await asyncpg.connect(intake.settings.database_url)
    try:
        count: int = await connection.fetchval(query, *args)
    finally:
        await connection.close()
    return count


async def test_a_retried_referral_returns_the_first_answer_and_creates_one_person(
    intake: IntakeUnderTest,
) -> None:
    key = str(uuid.uuid4())
    first = await intake.client.post("/v1/referrals", json=referral_body(), headers=with_key(key))
    retry = await intake.client.post("/v1/referrals", json=referral_body(), headers=with_key(key))
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await _count(intake, "SELECT count(*) FROM referrals") == 1


async def test_concurrent_tries_with_one_key_create_one_person(intake: IntakeUnderTest) -> None:
    key = str(uuid.uuid4())
    answers = await asyncio.gather(
        *(intake.client.post("/v1/referrals", json=referral_body(), headers=with_key(key)) for _ in range(8))
    )
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.json()["referral_id"] for answer in answers}) == 1
    assert await _count(intake, "SELECT count(*) FROM referrals") == 1


async def test_the_same_key_with_another_body_is_a_conflict_naming_the_header(
    intake: IntakeUnderTest,
) -> None:
    key = str(uuid.uuid4())
    assert (
        await intake.client.post("/v1/referrals", json=referral_body(), headers=with_key(key))
    ).status_code == 201
    other = await intake.client.post(
        "/v1/referrals", json=referral_body(first_name="Lena"), headers=with_key(key)
    )
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.json()["error"]["details"][0]["field"] == "Idempotency-Key"
    assert await _count(intake, "SELECT count(*) FROM referrals") == 1


async def test_keys_belong_to_the_staff_member_who_sent_them(intake: IntakeUnderTest) -> None:
    key = str(uuid.uuid4())
    mine = await intake.client.post("/v1/referrals", json=referral_body(), headers=with_key(key))
    theirs = await intake.client.post(
        "/v1/referrals",
        json=referral_body(),
        headers=with_key(key, auth_header("intake", subject="another-colleague")),
    )
    assert mine.status_code == 201
    # Not a replay of my answer: their request ran, and found the person I had just referred.
    assert theirs.status_code == 409, theirs.text
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json()["error"]["code"] == "same_person_already_known"
    assert theirs.json()["error"]["conflicting_id"] == mine.json()["participant_id"]


async def test_a_refused_request_leaves_the_key_free(intake: IntakeUnderTest) -> None:
    key = str(uuid.uuid4())
    refused = await intake.client.post(
        "/v1/referrals", json=referral_body(birth_date="2999-01-01"), headers=with_key(key)
    )
    assert refused.status_code == 422
    corrected = await intake.client.post("/v1/referrals", json=referral_body(), headers=with_key(key))
    assert corrected.status_code == 201
    assert await _count(intake, "SELECT count(*) FROM idempotency_keys") == 1


async def test_a_retried_consent_is_recorded_once(intake: IntakeUnderTest) -> None:
    received = await refer(intake.client)
    url = f"/v1/participants/{received['participant_id']}/consents"
    body = {"purpose": "data_processing", "given_by": "participant"}
    key = str(uuid.uuid4())
    first = await intake.client.post(url, json=body, headers=with_key(key))
    retry = await intake.client.post(url, json=body, headers=with_key(key))
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert await _count(intake, "SELECT count(*) FROM consents") == 1


async def test_a_retried_enrolment_answers_the_same_enrolment_and_publishes_once(
    intake: IntakeUnderTest,
) -> None:
    received = await refer(intake.client)
    await interview(intake.client, received["referral_id"])
    await consent(intake.client, received["participant_id"])
    url = f"/v1/referrals/{received['referral_id']}/enrol"
    body = {"funding": JOBCENTER_ONLY}
    key = str(uuid.uuid4())
    first = await intake.client.post(url, json=body, headers=with_key(key))
    # Intake staff no longer see the enrolled referral, yet their retry gets the first answer.
    retry = await intake.client.post(url, json=body, headers=with_key(key))
    assert first.status_code == retry.status_code == 201, retry.text
    assert retry.json() == first.json()
    assert retry.json()["participant_id"] == received["participant_id"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    without_key = await intake.client.post(url, json=body, headers=MANAGER)
    assert without_key.status_code == 409  # a new attempt, not a retry: enrolled already
    assert without_key.json()["error"]["code"] == "enrol_only_while_open"
    assert await _count(intake, "SELECT count(*) FROM outbox WHERE event_type = 'ParticipantEnrolled'") == 1


@pytest.mark.parametrize("key", [b"", b"x" * 201, "schlüssel".encode(), b"two words"])
async def test_a_malformed_key_is_refused_naming_the_header(intake: IntakeUnderTest, key: bytes) -> None:
    headers = {name.encode(): value.encode() for name, value in INTAKE_STAFF.items()} | {
        b"Idempotency-Key": key
    }
    response = await intake.client.post("/v1/referrals", json=referral_body(), headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == "header.Idempotency-Key"
    assert await _count(intake, "SELECT count(*) FROM referrals") == 0
