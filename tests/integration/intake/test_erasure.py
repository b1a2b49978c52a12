"""Erasure (GDPR Art. 17) through intake's API, checked in the database itself: names, birth date,
contact data, the interview note, the referrer's contact person and guardians' names are gone from
every table; the audit log keeps only ids; `ParticipantDataErased` is published; the person's file
answers 410; counts stay as they were; and nobody can be linked to the erased person again."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import (
    ADMIN,
    CASEWORKER,
    INTAKE_STAFF,
    MANAGER,
    consent,
    enrol,
    enrolled_participant,
    interview_body,
    refer,
)
from tests.support.kafka_tools import collect_events, collect_records

pytestmark = pytest.mark.integration

PERSON: dict[str, Any] = {
    "first_name": "Mirabell",
    "last_name": "Quastenberg",
    "birth_date": "2006-09-17",
    "email": "mirabell.q@example.org",
    "phone": "+49 341 9988776",
    "jobcenter_customer_number": "987D654321",
    "contact_person": "Frau Ziegenhals",
}
NOTE = "confided: sleeps in her car"
GUARDIAN = "Sieglinde Quastenberg"
SECRETS = [*PERSON.values(), "quastenberg", "mirabell", NOTE, GUARDIAN]


async def secrets_left_in_the_database(intake: IntakeUnderTest) -> dict[str, list[str]]:
    """Every secret found in any row of any table, by table."""
    tables = [
        row["table_name"]
        for row in await intake.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    ]
    found: dict[str, list[str]] = {}
    for table in tables:
        rows = await intake.rows(f'SELECT t::text AS row FROM "{table}" t')
        text = "\n".join(row["row"] for row in rows).lower()
        hits = [secret for secret in SECRETS if secret.lower() in text]
        if hits:
            found[table] = hits
    return found


async def counts(intake: IntakeUnderTest) -> dict[str, Any]:
    by_status = await intake.rows("SELECT status, count(*) AS n FROM referrals GROUP BY status")
    listed = (await intake.client.get("/v1/referrals", params={"limit": 200}, headers=MANAGER)).json()[
        "items"
    ]
    stays = (await intake.client.get("/v1/participants", params={"limit": 200}, headers=MANAGER)).json()[
        "items"
    ]
    return {
        "referrals by status": {row["status"]: row["n"] for row in by_status},
        "listed by status": Counter(item["status"] for item in listed),
        "stays": len(stays),
        "people": await intake.value("SELECT count(*) FROM people"),
        "consents": await intake.value("SELECT count(*) FROM consents"),
    }


async def test_erasure_removes_the_persons_data_everywhere_and_keeps_the_counts(
    intake: IntakeUnderTest,
) -> None:
    client = intake.client
    received = await refer(client, **PERSON)
    participant_id, referral_id = received["participant_id"], received["referral_id"]
    # With Idempotency-Keys: intake remembers those answers (which show the person) for retries.
    interviewed = await client.post(
        f"/v1/referrals/{referral_id}/interview",
        json=interview_body(note=NOTE),
        headers=INTAKE_STAFF | {"Idempotency-Key": "interview-1"},
    )
    assert interviewed.status_code == 200
    guardian_consent = {"purpose": "sharing_with_funder", "given_by": "guardian", "guardian_name": GUARDIAN}
    consent_path = f"/v1/participants/{participant_id}/consents"
    given = await client.post(
        consent_path, json=guardian_consent, headers=INTAKE_STAFF | {"Idempotency-Key": "consent-1"}
    )
    assert given.status_code == 201
    await consent(client, participant_id)
    assert (await enrol(client, referral_id, caseworker="cara.caseworker")).status_code == 201
    await client.get(f"/v1/participants/{participant_id}", headers=CASEWORKER)
    # Others, so the counts have something to keep.
    await enrolled_participant(client, first_name="Jonas", last_name="Becker", contact_person="Herr Lindner")
    rejected = await refer(client, first_name="Lea", last_name="Becker", contact_person="Herr Lindner")
    await client.post(
        f"/v1/referrals/{rejected['referral_id']}/reject", json={"reason": "other"}, headers=MANAGER
    )
    assert set(await secrets_left_in_the_database(intake)) >= {"people", "referrals", "consents"}
    counts_before = await counts(intake)
    audit_before = await intake.value(
        "SELECT count(*) FROM audit_log WHERE participant_id = $1::uuid", participant_id
    )

    for not_admin in (MANAGER, CASEWORKER, INTAKE_STAFF):
        refused = await client.post(f"/v1/participants/{participant_id}/erasure", headers=not_admin)
        assert refused.status_code == 403
    erased = await client.post(f"/v1/participants/{participant_id}/erasure", headers=ADMIN)

    assert erased.status_code == 200, erased.text
    assert erased.json() == {"participant_id": participant_id, "erased_on": intake.today.isoformat()}
    assert await secrets_left_in_the_database(intake) == {}
    # The audit log keeps its entries, naming the person only by participant id.
    audit = await intake.rows("SELECT * FROM audit_log WHERE participant_id = $1::uuid", participant_id)
    assert len(audit) == audit_before + 1
    assert set(audit[0].keys()) == {"id", "at", "staff_subject", "action", "participant_id", "referral_id"}
    assert audit[-1]["action"] == "personal_data_erased"
    assert await counts(intake) == counts_before

    # The rest of the programme hears of it, with nothing personal on the wire.
    events = await collect_events(
        intake.bootstrap_servers,
        intake.events_topic,
        until=lambda found: any(e.event_type == "ParticipantDataErased" for e in found),
    )
    erasure_event = next(e for e in events if e.event_type == "ParticipantDataErased")
    assert str(erasure_event.participant_id) == participant_id
    assert erasure_event.data == {"erased_on": intake.today.isoformat()}
    records = await collect_records(
        intake.bootstrap_servers, intake.events_topic, until=lambda r: len(r) >= 1
    )
    raw = b" ".join(record.value or b"" for record in records).decode().lower()
    assert [secret for secret in SECRETS if secret.lower() in raw] == []

    # Staff find a person who is only an id now.
    for staff in (MANAGER, ADMIN, CASEWORKER):
        gone = await client.get(f"/v1/participants/{participant_id}", headers=staff)
        assert gone.status_code == 410, gone.text
        assert gone.json()["error"]["code"] == "participant_data_erased"
    referral = (await client.get(f"/v1/referrals/{referral_id}", headers=MANAGER)).json()
    assert referral["person"] == {
        "participant_id": participant_id,
        "first_name": None,
        "last_name": None,
        "birth_date": None,
        "caseworker": "cara.caseworker",
        "erased": True,
    }
    assert (referral["contact_person"], referral["interview"]["note"]) == (None, None)
    assert referral["status"] == "enrolled"

    # A retry of an earlier request cannot bring the erased data back.
    retried = await client.post(
        consent_path, json=guardian_consent, headers=INTAKE_STAFF | {"Idempotency-Key": "consent-1"}
    )
    assert GUARDIAN not in retried.text
    retried_interview = await client.post(
        f"/v1/referrals/{referral_id}/interview",
        json=interview_body(note=NOTE),
        headers=INTAKE_STAFF | {"Idempotency-Key": "interview-1"},
    )
    assert PERSON["last_name"] not in retried_interview.text
    assert await secrets_left_in_the_database(intake) == {}


async def test_an_erased_person_is_erased_once_and_never_linked_again(intake: IntakeUnderTest) -> None:
    client = intake.client
    received = await refer(client, **PERSON)
    participant_id = received["participant_id"]
    assert (await client.post(f"/v1/participants/{participant_id}/erasure", headers=ADMIN)).status_code == 200

    again = await client.post(f"/v1/participants/{participant_id}/erasure", headers=ADMIN)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "participant_data_erased"
    linked = await client.post(
        "/v1/referrals", json={**_referral(), "same_person_as": participant_id}, headers=INTAKE_STAFF
    )
    assert linked.status_code == 409
    assert linked.json()["error"]["code"] == "participant_data_erased"
    for refused in (
        client.post(
            f"/v1/participants/{participant_id}/consents",
            json={"purpose": "data_processing", "given_by": "participant"},
            headers=MANAGER,
        ),
        client.put(
            f"/v1/participants/{participant_id}/caseworker", json={"caseworker": "cara"}, headers=MANAGER
        ),
    ):
        answer = await refused
        assert answer.status_code == 409, answer.text
    check = await client.get(
        "/v1/people/same-person",
        params={k: PERSON[k] for k in ("first_name", "last_name", "birth_date")},
        headers=INTAKE_STAFF,
    )
    assert check.json()["items"] == []
    # Referred once more, they are a new person: intake no longer knows who they were.
    anew = await client.post("/v1/referrals", json=_referral(), headers=INTAKE_STAFF)
    assert anew.status_code == 201, anew.text
    assert anew.json()["participant_id"] != participant_id
    assert anew.json()["re_entry"] is False
    assert await intake.value("SELECT count(*) FROM audit_log WHERE action = 'personal_data_erased'") == 1


def _referral() -> dict[str, Any]:
    return {
        **{k: PERSON[k] for k in ("first_name", "last_name", "birth_date")},
        "referral_source": "self",
        "preferred_work_areas": ["care"],
    }


async def test_no_interview_note_is_added_about_an_erased_person(intake: IntakeUnderTest) -> None:
    received = await refer(intake.client, **PERSON)
    erased = await intake.client.post(f"/v1/participants/{received['participant_id']}/erasure", headers=ADMIN)
    assert erased.status_code == 200, erased.text
    refused = await intake.client.post(
        f"/v1/referrals/{received['referral_id']}/interview", json=interview_body(note=NOTE), headers=MANAGER
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "participant_data_erased"
    assert await secrets_left_in_the_database(intake) == {}
