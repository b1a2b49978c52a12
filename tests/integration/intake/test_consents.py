"""Consents through intake's API: a guardian's consent names the guardian; a withdrawal publishes
`ConsentWithdrawn`, shows on the person's file, happens once, and ends enrolment possibilities."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import INTAKE_STAFF, MANAGER, consent, enrol, interview, refer
from tests.support.kafka_tools import collect_events

pytestmark = pytest.mark.integration


async def test_a_guardians_consent_names_the_guardian(intake: IntakeUnderTest) -> None:
    participant_id = (await refer(intake.client))["participant_id"]
    path = f"/v1/participants/{participant_id}/consents"

    unnamed = await intake.client.post(
        path, json={"purpose": "data_processing", "given_by": "guardian"}, headers=INTAKE_STAFF
    )
    assert unnamed.status_code == 422, unnamed.text
    assert unnamed.json()["error"]["details"] == [
        {
            "field": "guardian_name",
            "rule": "guardian_name_required",
            "message": "a guardian's consent names the guardian",
        }
    ]
    blank = await intake.client.post(
        path,
        json={"purpose": "data_processing", "given_by": "guardian", "guardian_name": "  "},
        headers=INTAKE_STAFF,
    )
    assert blank.status_code == 422
    assert await intake.value("SELECT count(*) FROM consents") == 0

    named = await intake.client.post(
        path,
        json={"purpose": "data_processing", "given_by": "guardian", "guardian_name": "Sabine Krause"},
        headers=INTAKE_STAFF,
    )
    assert named.status_code == 201, named.text
    assert (named.json()["given_by"], named.json()["guardian_name"]) == ("guardian", "Sabine Krause")
    assert named.json()["given_on"] == intake.today.isoformat()


async def test_a_consent_is_not_recorded_for_a_day_after_today(intake: IntakeUnderTest) -> None:
    participant_id = (await refer(intake.client))["participant_id"]
    tomorrow = intake.today + dt.timedelta(days=1)
    response = await intake.client.post(
        f"/v1/participants/{participant_id}/consents",
        json={"purpose": "sharing_with_funder", "given_by": "participant", "given_on": tomorrow.isoformat()},
        headers=INTAKE_STAFF,
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "given_on"


async def test_withdrawing_consent_to_data_processing_is_published_shown_and_ends_enrolment(
    intake: IntakeUnderTest,
) -> None:
    client = intake.client
    received = await refer(client)
    participant_id, referral_id = received["participant_id"], received["referral_id"]
    sharing_id = await consent(client, participant_id, purpose="sharing_with_funder")
    consent_id = await consent(client, participant_id)
    await interview(client, referral_id)
    file_before = (await client.get(f"/v1/participants/{participant_id}", headers=INTAKE_STAFF)).json()
    assert file_before["data_processing_consent_withdrawn"] is False

    withdrawn = await client.post(
        f"/v1/participants/{participant_id}/consents/{consent_id}/withdraw", json={}, headers=INTAKE_STAFF
    )

    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["withdrawn_on"] == intake.today.isoformat()
    file_after = (await client.get(f"/v1/participants/{participant_id}", headers=INTAKE_STAFF)).json()
    assert file_after["data_processing_consent_withdrawn"] is True
    assert {c["consent_id"]: c["withdrawn_on"] for c in file_after["consents"]} == {
        sharing_id: None,
        consent_id: intake.today.isoformat(),
    }

    again = await client.post(
        f"/v1/participants/{participant_id}/consents/{consent_id}/withdraw", json={}, headers=INTAKE_STAFF
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "consent_withdrawn_once"

    refused = await enrol(client, referral_id)
    assert refused.status_code == 422
    assert {d["rule"] for d in refused.json()["error"]["details"]} == {"consent_to_data_processing_required"}

    events = await collect_events(
        intake.bootstrap_servers,
        intake.events_topic,
        until=lambda found: any(e.event_type == "ConsentWithdrawn" for e in found),
    )
    assert [e.event_type for e in events] == ["ReferralReceived", "ConsentWithdrawn"]
    assert str(events[1].participant_id) == participant_id
    assert events[1].data == {"purpose": "data_processing", "withdrawn_on": intake.today.isoformat()}

    # Given again, the person may be enrolled after all, and the file no longer warns.
    await consent(client, participant_id)
    assert (await enrol(client, referral_id)).status_code == 201
    file_renewed = (await client.get(f"/v1/participants/{participant_id}", headers=MANAGER)).json()
    assert file_renewed["data_processing_consent_withdrawn"] is False


async def test_a_consent_is_withdrawn_only_through_its_own_person(intake: IntakeUnderTest) -> None:
    mia = (await refer(intake.client))["participant_id"]
    jonas = (await refer(intake.client, first_name="Jonas"))["participant_id"]
    mias_consent = await consent(intake.client, mia)
    for participant_id, consent_id in ((jonas, mias_consent), (mia, str(uuid.uuid4()))):
        response = await intake.client.post(
            f"/v1/participants/{participant_id}/consents/{consent_id}/withdraw", json={}, headers=INTAKE_STAFF
        )
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "consent_must_exist"
    assert await intake.value("SELECT count(*) FROM consents WHERE withdrawn_on IS NOT NULL") == 0
