"""intake's API against real PostgreSQL and Kafka: enrolment publishes a pseudonymous event."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import asyncpg
import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.kafka_tools import collect_events, collect_records
from tests.support.tokens import auth_header

pytestmark = pytest.mark.integration

INTAKE_STAFF = auth_header("intake")


def referral_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "first_name": "Mia",
        "last_name": "Krause",
        "birth_date": "2006-04-12",
        "email": "mia.krause@example.org",
        "phone": "+49 341 1234567",
        "referral_source": "jobcenter",
        "funder": "jobcenter",
        "preferred_work_areas": ["care", "garden_landscape"],
        "consent_to_data_processing": True,
    }
    return body | overrides


async def refer(intake: IntakeUnderTest, **overrides: Any) -> str:
    response = await intake.client.post(
        "/v1/referrals", json=referral_body(**overrides), headers=INTAKE_STAFF
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "received"
    return str(response.json()["referral_id"])


async def test_enrolment_publishes_participant_enrolled_without_personal_data(
    intake: IntakeUnderTest,
) -> None:
    referral_id = await refer(intake)
    response = await intake.client.post(f"/v1/referrals/{referral_id}/enrol", headers=INTAKE_STAFF)
    assert response.status_code == 201, response.text
    participant_id = response.json()["participant_id"]
    assert response.json()["status"] == "enrolled"

    records = await collect_records(
        intake.settings.kafka_bootstrap_servers, intake.events_topic, until=lambda records: len(records) >= 1
    )
    assert len(records) == 1
    record = records[0]
    assert record.key == participant_id.encode()
    envelope = json.loads(record.value or b"")
    assert envelope["event_type"] == "ParticipantEnrolled"
    assert envelope["participant_id"] == participant_id
    assert envelope["data"]["preferred_work_areas"] == ["care", "garden_landscape"]
    assert envelope["data"]["funder"] == "jobcenter"
    assert envelope["data"]["age_band"] in {"18-20", "21-25"}
    wire = (record.value or b"").decode() + repr(record.headers)
    for secret in ("Mia", "Krause", "2006-04-12", "example.org", "1234567"):
        assert secret not in wire
    headers = {name: value.decode() for name, value in record.headers}
    assert headers["ce_type"] == "org.werkstattnetz.ParticipantEnrolled.v1"
    assert headers["ce_id"] == envelope["event_id"]


async def test_the_participant_view_shows_personal_data_and_audits_the_read(intake: IntakeUnderTest) -> None:
    referral_id = await refer(intake)
    enrolled = await intake.client.post(f"/v1/referrals/{referral_id}/enrol", headers=INTAKE_STAFF)
    participant_id = enrolled.json()["participant_id"]

    view = await intake.client.get(
        f"/v1/participants/{participant_id}", headers=auth_header("caseworker", subject="carla")
    )
    assert view.status_code == 200
    assert view.json()["first_name"] == "Mia"
    assert view.json()["referral_id"] == referral_id

    connection = await asyncpg.connect(intake.settings.database_url)
    try:
        actions = await connection.fetch(
            "SELECT staff_subject, action FROM personal_data_access WHERE referral_id = $1 ORDER BY id",
            uuid.UUID(referral_id),
        )
    finally:
        await connection.close()
    assert [(row["staff_subject"], row["action"]) for row in actions] == [
        ("test-staff", "referral_received"),
        ("test-staff", "enrolled"),
        ("carla", "participant_viewed"),
    ]


async def test_second_enrolment_is_a_conflict_and_publishes_nothing_more(intake: IntakeUnderTest) -> None:
    referral_id = await refer(intake)
    first = await intake.client.post(f"/v1/referrals/{referral_id}/enrol", headers=INTAKE_STAFF)
    second = await intake.client.post(f"/v1/referrals/{referral_id}/enrol", headers=INTAKE_STAFF)
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "enrol_only_once"
    marker = await refer(intake)  # a later event proves the topic was read past the conflict
    await intake.client.post(f"/v1/referrals/{marker}/enrol", headers=INTAKE_STAFF)
    events = await collect_events(
        intake.settings.kafka_bootstrap_servers, intake.events_topic, until=lambda events: len(events) >= 2
    )
    assert len(events) == 2
    assert len({event.participant_id for event in events}) == 2


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"birth_date": "2015-01-01"}, "birth_date", "age_between_15_and_25"),
        ({"birth_date": "1990-01-01"}, "birth_date", "age_between_15_and_25"),
        (
            {"consent_to_data_processing": False},
            "consent_to_data_processing",
            "consent_to_data_processing_required",
        ),
    ],
)
async def test_enrolment_rules_answer_422_naming_field_and_rule(
    intake: IntakeUnderTest, overrides: dict[str, Any], field: str, rule: str
) -> None:
    referral_id = await refer(intake, **overrides)
    response = await intake.client.post(f"/v1/referrals/{referral_id}/enrol", headers=INTAKE_STAFF)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == rule
    assert error["details"] == [{"field": field, "rule": rule, "message": error["message"]}]
    listed = await intake.client.get("/v1/referrals", params={"status": "received"}, headers=INTAKE_STAFF)
    assert [item["referral_id"] for item in listed.json()["items"]] == [referral_id]


async def test_consent_recorded_later_allows_enrolment(intake: IntakeUnderTest) -> None:
    referral_id = await refer(intake, consent_to_data_processing=False)
    consent = await intake.client.post(f"/v1/referrals/{referral_id}/consent", headers=INTAKE_STAFF)
    assert consent.json()["consent_to_data_processing"] is True
    response = await intake.client.post(f"/v1/referrals/{referral_id}/enrol", headers=INTAKE_STAFF)
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_name": "  "}, "first_name"),
        ({"referral_source": "police"}, "referral_source"),
        ({"preferred_work_areas": ["care", "care"]}, "preferred_work_areas"),
        ({"preferred_work_areas": ["space_travel"]}, "preferred_work_areas.0"),
        ({"email": "not-an-address"}, "email"),
        ({"birth_date": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, "birth_date"),
    ],
)
async def test_bad_referrals_are_refused_naming_the_field_and_store_nothing(
    intake: IntakeUnderTest, overrides: dict[str, Any], field: str
) -> None:
    response = await intake.client.post(
        "/v1/referrals", json=referral_body(**overrides), headers=INTAKE_STAFF
    )
    assert response.status_code == 422
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]
    listed = await intake.client.get("/v1/referrals", headers=INTAKE_STAFF)
    assert listed.json()["items"] == []


async def test_unknown_referral_and_participant_are_404(intake: IntakeUnderTest) -> None:
    missing = "00000000-0000-4000-8000-000000000000"
    enrol = await intake.client.post(f"/v1/referrals/{missing}/enrol", headers=INTAKE_STAFF)
    view = await intake.client.get(f"/v1/participants/{missing}", headers=INTAKE_STAFF)
    assert (enrol.status_code, view.status_code) == (404, 404)


async def test_staff_need_a_valid_token_and_the_right_role(intake: IntakeUnderTest) -> None:
    no_token = await intake.client.post("/v1/referrals", json=referral_body())
    garbage = await intake.client.post(
        "/v1/referrals", json=referral_body(), headers={"Authorization": "Bearer not.a.token"}
    )
    reporting = await intake.client.post(
        "/v1/referrals", json=referral_body(), headers=auth_header("reporting")
    )
    assert (no_token.status_code, garbage.status_code, reporting.status_code) == (401, 401, 403)
    referral_id = await refer(intake)
    caseworker_enrols = await intake.client.post(
        f"/v1/referrals/{referral_id}/enrol", headers=auth_header("caseworker")
    )
    assert caseworker_enrols.status_code == 403
    health = await intake.client.get("/health/live")
    assert health.status_code == 200


async def test_referrals_are_listed_page_by_page(intake: IntakeUnderTest) -> None:
    ids = [await refer(intake) for _ in range(5)]
    first = await intake.client.get("/v1/referrals", params={"limit": 2}, headers=INTAKE_STAFF)
    second = await intake.client.get(
        "/v1/referrals", params={"limit": 2, "after": first.json()["next_after"]}, headers=INTAKE_STAFF
    )
    third = await intake.client.get(
        "/v1/referrals", params={"limit": 2, "after": second.json()["next_after"]}, headers=INTAKE_STAFF
    )
    pages = [first.json(), second.json(), third.json()]
    assert [item["referral_id"] for page in pages for item in page["items"]] == ids
    assert third.json()["next_after"] is None
