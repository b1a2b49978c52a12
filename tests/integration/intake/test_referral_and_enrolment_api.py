"""intake's API against real PostgreSQL and Kafka, around the workflow that
`test_referral_workflow.py` walks: what leaves intake on `intake.events` (keyed by the
participant, CloudEvents headers, nothing personal in value or headers), a refused second
enrolment that publishes nothing, and referrals refused before anything is stored.

Roles, caseloads and unknown ids: `test_caseload_access.py`; eligibility:
`test_eligibility_at_enrolment.py`; the audit log: `test_audit_log.py`; lists and paging:
`test_staff_lists.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import asyncpg
import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import (
    ADMIN,
    INTAKE_STAFF,
    MANAGER,
    consent,
    enrol,
    enrolled_participant,
    interview,
    refer,
    referral_body,
)
from tests.support.kafka_tools import collect_events, collect_records

pytestmark = pytest.mark.integration


async def _count(intake: IntakeUnderTest, query: str) -> int:
    connection = await asyncpg.connect(intake.settings.database_url)
    try:
        count: int = await connection.fetchval(query)
    finally:
        await connection.close()
    return count


async def test_every_event_is_keyed_by_the_participant_with_cloudevents_headers_and_nothing_personal(
    intake: IntakeUnderTest,
) -> None:
    client = intake.client
    received = await refer(client, jobcenter_customer_number="123D456789")
    participant_id, referral_id = received["participant_id"], received["referral_id"]
    await interview(client, referral_id, note="talked about bicycles")
    consent_id = await consent(client, participant_id)
    assert (await enrol(client, referral_id, caseworker="jana.sommer")).status_code == 201
    withdrawn = await client.post(
        f"/v1/participants/{participant_id}/consents/{consent_id}/withdraw", json={}, headers=MANAGER
    )
    assert withdrawn.status_code == 200, withdrawn.text
    erased = await client.post(f"/v1/participants/{participant_id}/erasure", headers=ADMIN)
    assert erased.status_code == 200, erased.text

    types = [
        "ReferralReceived",
        "ParticipantEnrolled",
        "CaseworkerAssigned",
        "ConsentWithdrawn",
        "ParticipantDataErased",
    ]
    records = await collect_records(
        intake.bootstrap_servers, intake.events_topic, until=lambda r: len(r) >= 5
    )
    envelopes = [json.loads(record.value or b"") for record in records]
    assert [envelope["event_type"] for envelope in envelopes] == types  # one key, one partition: in order
    for record, envelope in zip(records, envelopes, strict=True):
        assert record.key == participant_id.encode()
        assert envelope["participant_id"] == participant_id
        headers = {name: value.decode() for name, value in record.headers}
        assert headers["ce_type"] == f"org.werkstattnetz.{envelope['event_type']}.v1"
        assert headers["ce_id"] == envelope["event_id"]
        assert headers["ce_subject"] == participant_id
    wire = " ".join((record.value or b"").decode() + repr(record.headers) for record in records)
    for secret in (
        "Mia",
        "Krause",
        "2006-04-12",
        "example.org",
        "1234567",
        "123D456789",
        "Jobcenter Leipzig",
        "Berger",
        "bicycles",
    ):
        assert secret not in wire


async def test_a_second_enrolment_is_a_conflict_and_publishes_nothing_more(intake: IntakeUnderTest) -> None:
    first, referral_id = await enrolled_participant(intake.client)
    again = await enrol(intake.client, referral_id, headers=MANAGER)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "enrol_only_while_open"
    marker = await refer(intake.client, first_name="Lena")  # read the topic past the conflict
    events = await collect_events(intake.bootstrap_servers, intake.events_topic, until=lambda e: len(e) >= 3)
    assert sorted((e.event_type, str(e.participant_id)) for e in events) == sorted(
        [
            ("ReferralReceived", first),
            ("ParticipantEnrolled", first),
            ("ReferralReceived", marker["participant_id"]),
        ]
    )


def _after_today() -> str:
    return (dt.date.today() + dt.timedelta(days=2)).isoformat()  # after today in every timezone


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_name": "  "}, "first_name"),
        ({"referral_source": "police"}, "referral_source"),
        ({"preferred_work_areas": ["care", "care"]}, "preferred_work_areas"),
        ({"preferred_work_areas": ["space_travel"]}, "preferred_work_areas.0"),
        ({"email": "not-an-address"}, "email"),
        ({"birth_date": _after_today()}, "birth_date"),
        ({"received_on": _after_today()}, "received_on"),
        ({"consent_to_data_processing": True}, "consent_to_data_processing"),  # no longer a field
    ],
)
async def test_bad_referrals_are_refused_naming_the_field_and_store_nothing(
    intake: IntakeUnderTest, overrides: dict[str, Any], field: str
) -> None:
    response = await intake.client.post(
        "/v1/referrals", json=referral_body(**overrides), headers=INTAKE_STAFF
    )
    assert response.status_code == 422, response.text
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]
    listed = await intake.client.get("/v1/referrals", headers=MANAGER)
    assert listed.json()["items"] == []
    assert await _count(intake, "SELECT count(*) FROM people") == 0
