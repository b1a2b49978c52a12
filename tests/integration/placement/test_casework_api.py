"""Caseworkers over HTTP: place by hand, transfer (also to another area), end a placement; each is
one transaction with its events and its placement spells; conflicts are 409s, bad input 422s."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import pytest

from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest, enrolled
from tests.support.tokens import auth_header
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

ADMIN = auth_header("admin")
CARE = WorkArea.CARE
BIKE = WorkArea.BIKE_METAL
GARDEN = WorkArea.GARDEN_LANDSCAPE
ENROLLED_ON = dt.date(2026, 11, 23)


async def spells_of(placement: PlacementUnderTest, participant_id: uuid.UUID) -> list[tuple[Any, ...]]:
    connection = await asyncpg.connect(placement.settings.database_url)
    try:
        rows = await connection.fetch(
            "SELECT workshop_id, placed_on, ended_on, end_reason FROM placement_spells "
            "WHERE participant_id = $1 ORDER BY spell_id",
            participant_id,
        )
    finally:
        await connection.close()
    return [tuple(row.values()) for row in rows]


async def post(placement: PlacementUnderTest, path: str, body: dict[str, Any]) -> Any:
    return await placement.client.post(path, json=body, headers=CASEWORKER)


async def test_a_transfer_into_another_area_ends_one_spell_starts_the_next_and_offers_the_seat_left(
    placement: PlacementUnderTest,
) -> None:
    mover, waiting = enrolled(CARE), enrolled(CARE)
    for envelope, status in ((mover, "placed"), (waiting, "waitlisted")):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, status)
    care, garden = await placement.workshop_id(CARE), await placement.workshop_id(GARDEN)

    moved = await post(
        placement, f"/v1/participants/{mover.participant_id}/transfer", {"workshop_id": str(garden)}
    )
    assert moved.status_code == 201, moved.text
    body = moved.json()
    today = body["placed_on"]
    assert (body["status"], body["work_area"], body["workshop_id"], body["from_waitlist"]) == (
        "placed",
        "garden_landscape",
        str(garden),
        False,
    )
    await placement.wait_for_offer(waiting.participant_id)  # the care seat left behind
    ended, placed = [e for e in await placement.outbox_events() if e.participant_id == mover.participant_id][
        -2:
    ]
    assert (ended.event_type, ended.data) == (
        "PlacementEnded",
        {"work_area": "care", "ended_on": today, "reason": "transferred", "workshop_id": str(care)},
    )
    assert (placed.event_type, placed.data["work_area"], placed.data["kind"], placed.data["workshop_id"]) == (
        "ParticipantPlaced",
        "garden_landscape",
        "transfer",
        str(garden),
    )
    day = dt.date.fromisoformat(today)
    assert await spells_of(placement, mover.participant_id) == [
        (care, ENROLLED_ON, day, "transferred"),
        (garden, day, None, None),
    ]

    same = await post(
        placement, f"/v1/participants/{mover.participant_id}/transfer", {"workshop_id": str(garden)}
    )
    assert (same.status_code, same.json()["error"]["code"]) == (422, "transfer_must_change_workshop")
    full = await post(
        placement, f"/v1/participants/{mover.participant_id}/transfer", {"workshop_id": str(care)}
    )
    assert (full.status_code, full.json()["error"]["code"]) == (409, "seat_must_be_free")  # held by the offer
    nowhere = await post(
        placement, f"/v1/participants/{waiting.participant_id}/transfer", {"workshop_id": str(garden)}
    )
    assert (nowhere.status_code, nowhere.json()["error"]["code"]) == (409, "participant_must_be_placed")


async def test_a_placement_ended_by_hand_keeps_the_person_until_placed_again(
    placement: PlacementUnderTest,
) -> None:
    person = enrolled(CARE)
    await placement.enrol(person)
    await placement.wait_for_status(person.participant_id, "placed")
    care, garden = await placement.workshop_id(CARE), await placement.workshop_id(GARDEN)
    path = f"/v1/participants/{person.participant_id}"

    transferred = await post(placement, f"{path}/placement/end", {"reason": "transferred"})
    assert (transferred.status_code, transferred.json()["error"]["details"][0]) == (
        422,
        {
            "field": "reason",
            "rule": "end_reason_must_be_given_by_hand",
            "message": transferred.json()["error"]["message"],
        },
    )
    too_early = await post(
        placement, f"{path}/placement/end", {"reason": "completed", "ended_on": "2026-11-01"}
    )
    assert (too_early.status_code, too_early.json()["error"]["details"][0]["field"]) == (422, "ended_on")

    ended = await post(placement, f"{path}/placement/end", {"reason": "completed", "ended_on": "2026-11-24"})
    assert ended.status_code == 200, ended.text
    assert (ended.json()["status"], ended.json()["ended_on"]) == ("between_placements", "2026-11-24")
    assert (await placement.workshop(CARE))["free_seats"] == 1
    again = await post(placement, f"{path}/placement/end", {"reason": "dropout"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "participant_must_be_placed")

    placed = await post(placement, f"{path}/placement", {"workshop_id": str(garden)})
    assert placed.status_code == 201, placed.text
    assert (placed.json()["status"], placed.json()["workshop_id"], placed.json()["ended_on"]) == (
        "placed",
        str(garden),
        None,
    )
    day = dt.date.fromisoformat(placed.json()["placed_on"])
    assert await spells_of(placement, person.participant_id) == [
        (care, ENROLLED_ON, dt.date(2026, 11, 24), "completed"),
        (garden, day, None, None),
    ]
    twice = await post(placement, f"{path}/placement", {"workshop_id": str(care)})
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "participant_must_not_be_placed")


async def test_placing_by_hand_takes_only_a_free_seat_no_offer_holds(placement: PlacementUnderTest) -> None:
    seated, holder, other = enrolled(CARE), enrolled(CARE), enrolled(CARE)
    for envelope, status in ((seated, "placed"), (holder, "waitlisted"), (other, "waitlisted")):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, status)
    care = await placement.workshop_id(CARE)
    await placement.client.patch(f"/v1/workshops/{care}", json={"seats": 2}, headers=ADMIN)
    offer = await placement.wait_for_offer(holder.participant_id)

    taken = await post(
        placement, f"/v1/participants/{other.participant_id}/placement", {"workshop_id": str(care)}
    )
    assert (taken.status_code, taken.json()["error"]["code"]) == (409, "seat_must_be_free")
    answer_first = await post(
        placement, f"/v1/participants/{holder.participant_id}/placement", {"workshop_id": str(care)}
    )
    assert answer_first.status_code == 409
    assert (answer_first.json()["error"]["code"], answer_first.json()["error"]["conflicting_id"]) == (
        "open_offer_must_be_answered",
        offer["offer_id"],
    )
    unknown_workshop = await post(
        placement, f"/v1/participants/{other.participant_id}/placement", {"workshop_id": str(uuid.uuid4())}
    )
    assert (unknown_workshop.status_code, unknown_workshop.json()["error"]["details"][0]["field"]) == (
        404,
        "workshop_id",
    )
    unknown_person = await post(
        placement, f"/v1/participants/{uuid.uuid4()}/placement", {"workshop_id": str(care)}
    )
    assert (unknown_person.status_code, unknown_person.json()["error"]["details"][0]["field"]) == (
        404,
        "participant_id",
    )


async def test_a_retried_placement_with_its_idempotency_key_places_once(
    placement: PlacementUnderTest,
) -> None:
    seated, waiting = enrolled(CARE), enrolled(CARE)
    for envelope, status in ((seated, "placed"), (waiting, "waitlisted")):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, status)
    garden = await placement.workshop_id(GARDEN)
    headers = CASEWORKER | {"Idempotency-Key": "place-once-1"}
    path = f"/v1/participants/{waiting.participant_id}/placement"
    first = await placement.client.post(path, json={"workshop_id": str(garden)}, headers=headers)
    retried = await placement.client.post(path, json={"workshop_id": str(garden)}, headers=headers)
    assert (first.status_code, retried.status_code, retried.headers["Idempotent-Replayed"]) == (
        201,
        201,
        "true",
    )
    assert retried.json() == first.json()
    reused = await placement.client.post(path, json={"workshop_id": str(uuid.uuid4())}, headers=headers)
    assert (reused.status_code, reused.json()["error"]["code"]) == (409, "idempotency_key_reused")
    by_hand = [
        e for e in await placement.outbox_events("ParticipantPlaced") if e.data["kind"] == "by_caseworker"
    ]
    assert len(by_hand) == 1
    assert (await placement.workshop(CARE))["waitlist_length"] == 0
