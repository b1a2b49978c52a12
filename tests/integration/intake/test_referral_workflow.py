"""The referral workflow through intake's API, against real PostgreSQL and Kafka: the participant
id from the first referral on, interview, enrolment with co-funding, rejection, withdrawal, and
the transitions a referral's state forbids."""

from __future__ import annotations

import asyncpg
import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import (
    INTAKE_STAFF,
    MANAGER,
    consent,
    enrol,
    enrolled_participant,
    interview,
    interview_body,
    refer,
)
from tests.support.kafka_tools import collect_events, collect_records

pytestmark = pytest.mark.integration

CO_FUNDED = [
    {"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 70},
    {"funder": "city", "legal_basis": "city", "share_percent": 30},
]


async def test_the_person_gets_their_id_when_referred_and_keeps_it_through_enrolment(
    intake: IntakeUnderTest,
) -> None:
    client = intake.client
    received = await refer(client)
    participant_id, referral_id = received["participant_id"], received["referral_id"]
    assert received["status"] == "received"
    assert received["re_entry"] is False
    await interview(client, referral_id)
    await consent(client, participant_id)
    response = await enrol(client, referral_id, funding=CO_FUNDED, caseworker="jana.sommer")
    assert response.status_code == 201, response.text
    done = response.json()
    assert done["participant_id"] == participant_id
    assert done["enrolment"]["main_funder"] == "jobcenter"

    events = await collect_events(
        intake.bootstrap_servers, intake.events_topic, until=lambda events: len(events) >= 3
    )
    assert [(e.event_type, str(e.participant_id)) for e in events] == [
        ("ReferralReceived", participant_id),
        ("ParticipantEnrolled", participant_id),
        ("CaseworkerAssigned", participant_id),
    ]
    received_event, enrolled, assigned = events
    assert received_event.data["referral_source"] == "jobcenter"
    assert received_event.data["age_band"] in {"15-17", "18-20", "21-25"}
    assert enrolled.data["funder"] == "jobcenter"
    assert enrolled.data["funding"] == CO_FUNDED
    assert enrolled.data["enrolment_id"] == done["enrolment"]["enrolment_id"]
    assert assigned.data["caseworker"] == "jana.sommer"
    # Nothing personal leaves intake: no name, birth date, contact, organisation or note.
    records = await collect_records(
        intake.bootstrap_servers, intake.events_topic, until=lambda r: len(r) >= 3
    )
    raw = b" ".join(record.value or b"" for record in records)
    for secret in (b"Mia", b"Krause", b"2006-04-12", b"example.org", b"1234567", b"Berger", b"motivated"):
        assert secret not in raw


@pytest.mark.parametrize(
    ("action", "body", "event_type", "data"),
    [
        (
            "reject",
            {"reason": "in_employment", "rejected_on": None},
            "ReferralRejected",
            {"reason": "in_employment"},
        ),
        ("withdraw", {"reason": "moved_away"}, "ReferralWithdrawn", {"reason": "moved_away"}),
    ],
)
async def test_a_rejected_or_withdrawn_referral_is_counted_and_closed(
    intake: IntakeUnderTest, action: str, body: dict[str, object], event_type: str, data: dict[str, str]
) -> None:
    client = intake.client
    received = await refer(client)
    referral_id = received["referral_id"]
    clean = {key: value for key, value in body.items() if value is not None}
    response = await client.post(f"/v1/referrals/{referral_id}/{action}", json=clean, headers=INTAKE_STAFF)
    assert response.status_code == 200, response.text
    assert response.json()["closing"]["reason"] == data["reason"]

    events = await collect_events(intake.bootstrap_servers, intake.events_topic, until=lambda e: len(e) >= 2)
    assert [e.event_type for e in events] == ["ReferralReceived", event_type]
    assert events[1].data["reason"] == data["reason"]

    # A decided referral takes no interview, no second decision and no enrolment: 409 naming the state.
    state = "rejected" if action == "reject" else "withdrawn"
    for path, payload in (
        ("interview", interview_body()),
        ("reject", {"reason": "other"}),
        ("withdraw", {"reason": "other"}),
        ("enrol", {"funding": CO_FUNDED}),
    ):
        refused = await client.post(f"/v1/referrals/{referral_id}/{path}", json=payload, headers=INTAKE_STAFF)
        assert refused.status_code == 409, (path, refused.text)
        assert state in refused.json()["error"]["message"]
        assert refused.json()["error"]["details"][0]["field"] == "status"


async def test_enrolment_needs_the_interview_first_and_happens_once(intake: IntakeUnderTest) -> None:
    client = intake.client
    received = await refer(client)
    await consent(client, received["participant_id"])
    early = await enrol(client, received["referral_id"])
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "enrol_after_interview"
    await interview(client, received["referral_id"])
    await interview(client, received["referral_id"], note="second talk")  # allowed before a decision
    assert (await enrol(client, received["referral_id"])).status_code == 201
    # Intake staff no longer see an enrolled referral (404); a manager does and is refused (409).
    assert (await enrol(client, received["referral_id"])).status_code == 404
    again = await enrol(client, received["referral_id"], headers=MANAGER)
    assert again.status_code == 409
    assert "enrolled" in again.json()["error"]["message"]
    late = await client.post(
        f"/v1/referrals/{received['referral_id']}/interview", json=interview_body(), headers=MANAGER
    )
    assert late.status_code == 409


@pytest.mark.parametrize(
    ("funding", "rules"),
    [
        ([{"funder": "city", "legal_basis": "city", "share_percent": 60}], {"shares_add_up_to_100"}),
        (
            [
                {"funder": "city", "legal_basis": "city", "share_percent": 50},
                {"funder": "city", "legal_basis": "own_funds", "share_percent": 50},
            ],
            {"each_funder_once"},
        ),
    ],
)
async def test_funding_shares_must_add_up_and_name_each_funder_once(
    intake: IntakeUnderTest, funding: list[dict[str, object]], rules: set[str]
) -> None:
    client = intake.client
    received = await refer(client)
    await interview(client, received["referral_id"])
    await consent(client, received["participant_id"])
    response = await enrol(client, received["referral_id"], funding=funding)
    assert response.status_code == 422, response.text
    assert {detail["rule"] for detail in response.json()["error"]["details"]} == rules
    assert await _enrolled_referrals(intake) == 0


async def test_the_referral_view_shows_interview_enrolment_and_funding(intake: IntakeUnderTest) -> None:
    participant_id, referral_id = await enrolled_participant(intake.client)
    response = await intake.client.get(f"/v1/referrals/{referral_id}", headers=INTAKE_STAFF)
    # Intake staff see a referral only until it is enrolled.
    assert response.status_code == 404
    seen = await intake.client.get(f"/v1/referrals/{referral_id}", headers=MANAGER)
    assert seen.status_code == 200, seen.text
    view = seen.json()
    assert view["person"]["participant_id"] == participant_id
    assert view["interview"]["has_completed_vocational_training"] is False
    assert view["enrolment"]["funding"][0]["share_percent"] == 100
    assert view["referring_organisation"] == "Jobcenter Leipzig, Team U25"


async def _enrolled_referrals(intake: IntakeUnderTest) -> int:
    connection = await asyncpg.connect(intake.settings.database_url)
    try:
        count: int = await connection.fetchval("SELECT count(*) FROM referrals WHERE status = 'enrolled'")
    finally:
        await connection.close()
    return count
