"""Capacity holds under concurrency: 50 caseworkers place 50 different people in the last free
seat of a workshop at the same moment: exactly one is placed, the 49 others get a clear 409
(real PostgreSQL; every request its own transaction through the HTTP API)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import Counter

import asyncpg
import pytest

from placement.application import handlers
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.enrolment import Enrolment
from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest
from tests.support.tokens import auth_header
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

pytestmark = pytest.mark.integration

CARE = WorkArea.CARE
BIKE = WorkArea.BIKE_METAL
CONTENDERS = 50


async def enrol_directly(placement: PlacementUnderTest, area: WorkArea) -> uuid.UUID:
    """An enrolment decided as the consumer would (faster than 51 trips through Kafka)."""
    participant_id = uuid.uuid4()
    uow: PlacementUnitOfWork = placement.app.state.unit_of_work()
    command = handlers.PlaceOrWaitlist(
        enrolment=Enrolment(participant_id, (area,), Funder.CITY, dt.date(2026, 11, 23)),
        now=dt.datetime.now(dt.UTC),
        correlation_id=uuid.uuid4(),
        causation_id=uuid.uuid4(),
    )
    async with uow:
        await handlers.place_or_waitlist(command, uow=uow)
        await uow.commit()
    return participant_id


async def test_fifty_requests_for_the_last_seat_give_one_placement_and_49_clear_conflicts(
    placement: PlacementUnderTest,
) -> None:
    await enrol_directly(placement, CARE)  # takes care's one seat
    waiting = [await enrol_directly(placement, CARE) for _ in range(CONTENDERS)]
    # bike_metal gets one seat; nobody waits for it, so no offer holds it: it is free to place in.
    bike = await placement.workshop_id(BIKE)
    opened = await placement.client.patch(
        f"/v1/workshops/{bike}", json={"seats": 1}, headers=auth_header("admin")
    )
    assert (opened.json()["free_seats"], opened.json()["open_offers"]) == (1, 0)

    async def place(participant_id: uuid.UUID) -> tuple[uuid.UUID, int, dict[str, object]]:
        response = await placement.client.post(
            f"/v1/participants/{participant_id}/placement",
            json={"workshop_id": str(bike)},
            headers=CASEWORKER,
        )
        return participant_id, response.status_code, response.json()

    answers = await asyncio.gather(*(place(participant_id) for participant_id in waiting))

    assert Counter(status for _, status, _ in answers) == {201: 1, 409: CONTENDERS - 1}
    [(winner, _, placed)] = [answer for answer in answers if answer[1] == 201]
    assert (placed["status"], placed["workshop_id"], placed["from_waitlist"]) == ("placed", str(bike), True)
    for _, status, body in answers:
        if status == 409:
            error = body["error"]
            assert isinstance(error, dict)
            assert error["code"] == "seat_must_be_free"
            assert error["details"][0]["field"] == "workshop_id"
            assert "no free seat" in error["message"]

    workshop = await placement.workshop(BIKE)
    assert (workshop["seats"], workshop["placed"], workshop["free_seats"]) == (1, 1, 0)
    losers = [participant_id for participant_id in waiting if participant_id != winner]
    for participant_id in losers[:5]:
        still = await placement.placement_of(participant_id)
        assert still is not None
        assert still["status"] == "waitlisted"
    assert (await placement.workshop(CARE))["waitlist_length"] == CONTENDERS - 1
    placed_by_hand = [
        e for e in await placement.outbox_events("ParticipantPlaced") if e.data["kind"] == "by_caseworker"
    ]
    assert [e.participant_id for e in placed_by_hand] == [winner]
    connection = await asyncpg.connect(placement.settings.database_url)
    try:
        spells = await connection.fetch(
            "SELECT participant_id FROM placement_spells WHERE workshop_id = $1", bike
        )
    finally:
        await connection.close()
    assert [row["participant_id"] for row in spells] == [winner]
