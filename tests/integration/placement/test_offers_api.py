"""Seat offers over HTTP: decline → the next person is offered the seat; the decliner keeps their
place but is not offered that seat again; an answered offer is a 409; Idempotency-Key replays."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest, enrolled, exited
from tests.support.tokens import auth_header
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

CARE = WorkArea.CARE
EXIT_DATE = dt.date(2026, 11, 24)


async def one_seat_two_waiting(
    placement: PlacementUnderTest,
) -> tuple[EventEnvelope, EventEnvelope, dict[str, Any]]:
    """Care's one seat frees; the first waiting holds the offer. Returns both waiting and the offer."""
    seated, first, second = enrolled(CARE), enrolled(CARE), enrolled(CARE)
    await placement.enrol(seated)
    await placement.wait_for_status(seated.participant_id, "placed")
    for envelope in (first, second):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, "waitlisted")
    await placement.exit(exited(seated.participant_id, EXIT_DATE))
    return first, second, await placement.wait_for_offer(first.participant_id)


async def test_a_declined_offer_goes_to_the_next_person_and_the_decliner_keeps_their_place(
    placement: PlacementUnderTest,
) -> None:
    first, second, offer = await one_seat_two_waiting(placement)
    declined = await placement.client.post(
        f"/v1/offers/{offer['offer_id']}/decline",
        json={"reason": "schedule_does_not_fit"},
        headers=CASEWORKER,
    )
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["decline_reason"]) == (
        "declined",
        "schedule_does_not_fit",
    )

    passed_on = await placement.wait_for_offer(second.participant_id)
    assert passed_on["workshop_id"] == offer["workshop_id"]
    decliner = await placement.placement_of(first.participant_id)
    assert decliner is not None
    assert (decliner["status"], decliner["waitlist_position"], decliner["open_offer"]) == (
        "waitlisted",
        1,
        None,
    )
    [event] = await placement.outbox_events("OfferDeclined")
    assert (event.participant_id, event.data["offer_id"], event.data["reason"]) == (
        first.participant_id,
        offer["offer_id"],
        "schedule_does_not_fit",
    )

    # The second declines too: nobody left who was not offered this seat, so it stays free ...
    await placement.client.post(
        f"/v1/offers/{passed_on['offer_id']}/decline", json={"reason": "not_reachable"}, headers=CASEWORKER
    )
    care = await placement.workshop(CARE)
    assert (care["free_seats"], care["open_offers"], care["waitlist_length"]) == (1, 0, 2)
    # ... until someone new enrols: placed at once (care places on enrolment).
    newcomer = enrolled(CARE)
    await placement.enrol(newcomer)
    await placement.wait_for_status(newcomer.participant_id, "placed")


async def test_an_answered_offer_cannot_be_answered_again(placement: PlacementUnderTest) -> None:
    first, _, offer = await one_seat_two_waiting(placement)
    accepted = await placement.accept(offer["offer_id"])
    assert accepted.status_code == 200, accepted.text
    placed = await placement.wait_for_status(first.participant_id, "placed")
    assert (placed["workshop_id"], placed["from_waitlist"], placed["open_offer"]) == (
        offer["workshop_id"],
        True,
        None,
    )

    for again in (
        await placement.accept(offer["offer_id"]),
        await placement.client.post(
            f"/v1/offers/{offer['offer_id']}/decline", json={"reason": "other"}, headers=CASEWORKER
        ),
    ):
        assert again.status_code == 409
        error = again.json()["error"]
        assert (error["code"], error["details"][0]["field"]) == ("offer_must_be_open", "status")
        assert "accepted already" in error["message"]
    unknown = await placement.accept(uuid.uuid4())
    assert (unknown.status_code, unknown.json()["error"]["details"][0]["field"]) == (404, "offer_id")
    bad_reason = await placement.client.post(
        f"/v1/offers/{offer['offer_id']}/decline", json={"reason": "bored"}, headers=CASEWORKER
    )
    assert (bad_reason.status_code, bad_reason.json()["error"]["details"][0]["field"]) == (422, "reason")


async def test_a_retried_accept_with_its_idempotency_key_gets_the_first_answer(
    placement: PlacementUnderTest,
) -> None:
    _, _, offer = await one_seat_two_waiting(placement)
    headers = CASEWORKER | {"Idempotency-Key": str(uuid.uuid4())}
    first = await placement.client.post(f"/v1/offers/{offer['offer_id']}/accept", headers=headers)
    retried = await placement.client.post(f"/v1/offers/{offer['offer_id']}/accept", headers=headers)
    assert (first.status_code, retried.status_code) == (200, 200)
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.json() == first.json()
    assert len([e for e in await placement.outbox_events("ParticipantPlaced") if e.data["offer_id"]]) == 1


async def test_staff_list_offers_by_status_workshop_and_person(placement: PlacementUnderTest) -> None:
    first, second, offer = await one_seat_two_waiting(placement)
    await placement.client.post(
        f"/v1/offers/{offer['offer_id']}/decline", json={"reason": "other"}, headers=CASEWORKER
    )
    passed_on = await placement.wait_for_offer(second.participant_id)

    everything = await placement.client.get("/v1/offers", headers=auth_header("manager"))
    body = everything.json()
    assert (body["total"], body["next_offset"]) == (2, None)
    assert [item["offer_id"] for item in body["items"]] == [
        passed_on["offer_id"],
        offer["offer_id"],
    ]  # newest first
    assert [o["offer_id"] for o in await placement.offers(status="declined")] == [offer["offer_id"]]
    assert [o["offer_id"] for o in await placement.offers(participant_id=str(first.participant_id))] == [
        offer["offer_id"]
    ]
    assert len(await placement.offers(workshop_id=offer["workshop_id"])) == 2
    assert await placement.offers(workshop_id=str(uuid.uuid4())) == []
    one = await placement.client.get(f"/v1/offers/{offer['offer_id']}", headers=CASEWORKER)
    assert (one.json()["status"], one.json()["answered_by"]) == ("declined", "test-staff")
    page = await placement.client.get("/v1/offers?limit=1", headers=CASEWORKER)
    assert (len(page.json()["items"]), page.json()["next_offset"]) == (1, 1)
