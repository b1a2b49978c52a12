"""The audit log through intake's API: every read and change of personal data leaves a row (who,
what, which person) — lists one per person listed, the duplicate check included; refusals leave
none. Admins read it filtered by person, staff member and period, newest first, page by page."""

from __future__ import annotations

import datetime as dt
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
    consent,
    enrol,
    interview,
    interview_body,
    refer,
)

pytestmark = pytest.mark.integration

INES, CARA, MARA, ADA = "ines.intake", "cara.caseworker", "mara.manager", "ada.admin"


class AuditTrail:
    """The rows the audit log gained since the last look."""

    def __init__(self, intake: IntakeUnderTest) -> None:
        self._intake = intake
        self._seen = 0

    async def new_rows(self) -> list[tuple[str, str, str]]:
        rows = await self._intake.rows(
            "SELECT id, staff_subject, action, participant_id::text AS participant_id FROM audit_log "
            "WHERE id > $1 ORDER BY id",
            self._seen,
        )
        if rows:
            self._seen = rows[-1]["id"]
        return [(row["staff_subject"], row["action"], row["participant_id"]) for row in rows]


async def test_every_read_and_change_of_personal_data_leaves_an_audit_row(intake: IntakeUnderTest) -> None:
    client, trail = intake.client, AuditTrail(intake)
    mia = await refer(client)
    pid, rid = mia["participant_id"], mia["referral_id"]
    assert await trail.new_rows() == [(INES, "referral_received", pid)]
    jonas = await refer(client, first_name="Jonas")
    lea = await refer(client, first_name="Lea")
    await trail.new_rows()

    async def audited(call: Any) -> list[tuple[str, str, str]]:
        response: httpx.Response = await call
        assert response.status_code < 300, response.text
        return sorted(await trail.new_rows())

    check = client.get(
        "/v1/people/same-person",
        params={"first_name": "MIA", "last_name": "Krause", "birth_date": "2006-04-12"},
        headers=INTAKE_STAFF,
    )
    assert await audited(check) == [(INES, "checked_for_same_person", pid)]
    assert await audited(client.get(f"/v1/referrals/{rid}", headers=INTAKE_STAFF)) == [
        (INES, "referral_viewed", pid)
    ]
    assert await audited(client.get(f"/v1/participants/{pid}", headers=INTAKE_STAFF)) == [
        (INES, "participant_viewed", pid)
    ]
    everyone = sorted((INES, "referral_listed", p["participant_id"]) for p in (mia, jonas, lea))
    assert await audited(client.get("/v1/referrals", headers=INTAKE_STAFF)) == everyone
    consented = client.post(
        f"/v1/participants/{pid}/consents",
        json={"purpose": "data_processing", "given_by": "participant"},
        headers=INTAKE_STAFF,
    )
    assert await audited(consented) == [(INES, "consent_recorded", pid)]
    interviewed = client.post(f"/v1/referrals/{rid}/interview", json=interview_body(), headers=INTAKE_STAFF)
    assert await audited(interviewed) == [(INES, "interview_recorded", pid)]
    assert await audited(enrol(client, rid, caseworker=CARA)) == [(INES, "enrolled", pid)]
    assert await audited(client.get("/v1/participants", headers=CASEWORKER)) == [
        (CARA, "participant_listed", pid)
    ]
    consent_id = await consent(client, pid, purpose="sharing_with_funder", headers=CASEWORKER)
    assert await trail.new_rows() == [(CARA, "consent_recorded", pid)]
    withdrawn = client.post(
        f"/v1/participants/{pid}/consents/{consent_id}/withdraw", json={}, headers=CASEWORKER
    )
    assert await audited(withdrawn) == [(CARA, "consent_withdrawn", pid)]
    moved = client.put(
        f"/v1/participants/{pid}/caseworker", json={"caseworker": "otto.caseworker"}, headers=MANAGER
    )
    assert await audited(moved) == [(MARA, "caseworker_assigned", pid)]
    rejected = client.post(
        f"/v1/referrals/{jonas['referral_id']}/reject", json={"reason": "other"}, headers=INTAKE_STAFF
    )
    assert await audited(rejected) == [(INES, "referral_rejected", jonas["participant_id"])]
    withdrawal = client.post(
        f"/v1/referrals/{lea['referral_id']}/withdraw", json={"reason": "moved_away"}, headers=MANAGER
    )
    assert await audited(withdrawal) == [(MARA, "referral_withdrawn", lea["participant_id"])]
    erased = client.post(f"/v1/participants/{lea['participant_id']}/erasure", headers=ADMIN)
    assert await audited(erased) == [(ADA, "personal_data_erased", lea["participant_id"])]


async def test_what_was_refused_or_not_seen_leaves_no_audit_row(intake: IntakeUnderTest) -> None:
    client, trail = intake.client, AuditTrail(intake)
    received = await refer(client)
    pid, rid = received["participant_id"], received["referral_id"]
    await trail.new_rows()

    refusals = [
        client.get(f"/v1/participants/{pid}", headers=CASEWORKER),  # not in their caseload: 404
        client.get(f"/v1/referrals/{rid}", headers=OTHER_CASEWORKER),
        client.get("/v1/participants", headers=CASEWORKER),  # an empty list shows nobody
        client.post(f"/v1/referrals/{rid}/enrol", json={"funding": []}, headers=INTAKE_STAFF),  # 422
        enrol(client, rid),  # 409: not interviewed
        client.post("/v1/referrals", json={"first_name": "Mia"}, headers=INTAKE_STAFF),  # 422
    ]
    for call in refusals:
        response: httpx.Response = await call
        assert response.status_code in {200, 404, 409, 422}, response.text
    assert await trail.new_rows() == []


async def test_admins_read_the_audit_log_filtered_by_person_staff_member_and_period(
    intake: IntakeUnderTest,
) -> None:
    client = intake.client
    mia = await refer(client)
    await client.get(f"/v1/participants/{mia['participant_id']}", headers=MANAGER)
    boundary: dt.datetime = await intake.value("SELECT max(at) FROM audit_log")
    jonas = await refer(client, first_name="Jonas", headers=MANAGER)
    await interview(client, mia["referral_id"])
    await client.get(f"/v1/participants/{jonas['participant_id']}", headers=INTAKE_STAFF)
    await client.get("/v1/referrals", headers=MANAGER)

    async def entries(**params: str) -> list[dict[str, Any]]:
        response = await client.get("/v1/audit-log", params=params | {"limit": "200"}, headers=ADMIN)
        assert response.status_code == 200, response.text
        assert response.json()["next_before"] is None
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    everything = await entries()
    assert len(everything) == await intake.value("SELECT count(*) FROM audit_log") == 7
    assert [e["entry_id"] for e in everything] == sorted((e["entry_id"] for e in everything), reverse=True)

    of_mia = await entries(participant_id=mia["participant_id"])
    assert [(e["staff_subject"], e["action"]) for e in of_mia] == [
        (MARA, "referral_listed"),
        (INES, "interview_recorded"),
        (MARA, "participant_viewed"),
        (INES, "referral_received"),
    ]
    assert {e["referral_id"] for e in of_mia} == {mia["referral_id"], None}
    by_ines = await entries(staff_subject=INES)
    assert [(e["action"], e["participant_id"]) for e in by_ines] == [
        ("participant_viewed", jonas["participant_id"]),
        ("interview_recorded", mia["participant_id"]),
        ("referral_received", mia["participant_id"]),
    ]
    after = await entries(at_from=(boundary + dt.timedelta(microseconds=1)).isoformat())
    before = await entries(at_to=(boundary + dt.timedelta(microseconds=1)).isoformat())
    assert [e["action"] for e in before] == ["participant_viewed", "referral_received"]
    assert {e["entry_id"] for e in after} | {e["entry_id"] for e in before} == {
        e["entry_id"] for e in everything
    }
    assert not {e["entry_id"] for e in after} & {e["entry_id"] for e in before}
    combined = await entries(
        participant_id=mia["participant_id"], staff_subject=INES, at_from=boundary.isoformat()
    )
    assert [e["action"] for e in combined] == ["interview_recorded"]


async def test_the_audit_log_is_read_page_by_page_newest_first(intake: IntakeUnderTest) -> None:
    client = intake.client
    received = await refer(client)
    for _ in range(6):
        await client.get(f"/v1/participants/{received['participant_id']}", headers=MANAGER)
    expected = [row["id"] for row in await intake.rows("SELECT id FROM audit_log ORDER BY id DESC")]
    assert len(expected) == 7

    seen: list[int] = []
    params: dict[str, Any] = {"limit": 3}
    for _ in range(10):
        page = await client.get("/v1/audit-log", params=params, headers=ADMIN)
        assert page.status_code == 200, page.text
        seen += [entry["entry_id"] for entry in page.json()["items"]]
        if page.json()["next_before"] is None:
            break
        params["before"] = page.json()["next_before"]
    assert seen == expected

    refused = await client.get("/v1/audit-log", params={"before": 0}, headers=ADMIN)
    assert refused.status_code == 422
    for staff in (MANAGER, INTAKE_STAFF, CASEWORKER):
        assert (await client.get("/v1/audit-log", headers=staff)).status_code == 403
