"""The waitlist's order is fair over the real broker: enrolments of different people arrive from
different partitions in any order, yet the queue (and who is offered a freed seat) follows the
moment of enrolment their events state; an urgent case a caseworker flags goes first."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest, enrolled, exited
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

CARE = WorkArea.CARE
MORNING = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


async def test_the_queue_follows_the_enrolments_moments_not_the_order_they_arrived_in(
    placement: PlacementUnderTest,
) -> None:
    seated = enrolled(CARE, occurred_at=MORNING - dt.timedelta(days=1))
    await placement.enrol(seated)
    await placement.wait_for_status(seated.participant_id, "placed")
    early, middle, late = (enrolled(CARE, occurred_at=MORNING + dt.timedelta(hours=h)) for h in (1, 2, 3))
    for envelope in (late, early, middle):  # placement hears the latest enrolment first
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, "waitlisted")

    page = (await placement.client.get("/v1/workshops/care/waitlist", headers=CASEWORKER)).json()
    assert [item["participant_id"] for item in page["items"]] == [
        str(e.participant_id) for e in (early, middle, late)
    ]
    assert [item["waiting_since"] for item in page["items"]] == [
        e.occurred_at.isoformat().replace("+00:00", "Z") for e in (early, middle, late)
    ]
    assert page["items"][0]["waiting_days"] > page["items"][2]["waiting_days"]
    positions_published = {
        e.participant_id: e.data["position"] for e in await placement.outbox_events("ParticipantWaitlisted")
    }
    # Each published position was true when it was published (late came first, then was overtaken).
    assert positions_published == {late.participant_id: 1, early.participant_id: 1, middle.participant_id: 2}

    await placement.exit(exited(seated.participant_id, dt.date(2026, 11, 24)))
    offer = await placement.wait_for_offer(early.participant_id)  # the earliest enrolment, heard last but one
    assert offer["workshop_id"] == str(await placement.workshop_id(CARE))


async def test_an_urgent_case_is_offered_the_next_seat_whenever_it_enrolled(
    placement: PlacementUnderTest,
) -> None:
    seated = enrolled(CARE, occurred_at=MORNING - dt.timedelta(days=1))
    await placement.enrol(seated)
    await placement.wait_for_status(seated.participant_id, "placed")
    first, second, urgent = (enrolled(CARE, occurred_at=MORNING + dt.timedelta(hours=h)) for h in (1, 2, 3))
    for envelope in (first, second, urgent):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, "waitlisted")

    flagged = await placement.client.put(
        f"/v1/participants/{urgent.participant_id}/priority",
        json={"urgent": True, "reason": "risk_of_homelessness"},
        headers=CASEWORKER,
    )
    assert flagged.status_code == 200, flagged.text
    assert (
        flagged.json()["urgent"],
        flagged.json()["urgency_reason"],
        flagged.json()["waitlist_position"],
    ) == (
        True,
        "risk_of_homelessness",
        1,
    )
    missing_reason = await placement.client.put(
        f"/v1/participants/{first.participant_id}/priority", json={"urgent": True}, headers=CASEWORKER
    )
    assert missing_reason.status_code == 422
    [detail] = missing_reason.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == ("reason", "urgency_needs_reason")

    await placement.exit(exited(seated.participant_id, dt.date(2026, 11, 24)))
    await placement.wait_for_offer(urgent.participant_id)
    assert await placement.open_offer_of(first.participant_id) is None

    unflagged = await placement.client.put(
        f"/v1/participants/{urgent.participant_id}/priority", json={"urgent": False}, headers=CASEWORKER
    )
    assert (unflagged.json()["urgent"], unflagged.json()["waitlist_position"]) == (False, 3)
    unknown = await placement.client.put(
        "/v1/participants/00000000-0000-4000-8000-000000000000/priority",
        json={"urgent": False},
        headers=CASEWORKER,
    )
    assert unknown.status_code == 404
