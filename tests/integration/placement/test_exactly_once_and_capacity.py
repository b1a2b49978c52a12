"""Redelivery has one effect, concurrent decisions never overbook, capacities apply on restart."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import Counter

import asyncpg
import pytest

from placement.app import create_app
from placement.application import handlers
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.enrolment import Enrolment
from placement.settings import PlacementSettings
from tests.integration.placement.conftest import PlacementUnderTest, enrolled
from tests.support.service_app import running_app
from tests.support.tokens import auth_header
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

pytestmark = pytest.mark.integration

CARE = WorkArea.CARE
BIKE = WorkArea.BIKE_METAL


async def test_a_redelivered_enrolment_places_the_person_once(placement: PlacementUnderTest) -> None:
    envelope = enrolled(CARE)
    await placement.enrol(envelope)
    await placement.enrol(envelope)  # the same event_id again, as after a consumer crash
    await placement.wait_for_status(envelope.participant_id, "placed")
    await placement.wait_until_consumed()

    published = await placement.all_published()
    assert [(event.event_type, event.participant_id) for event in published] == [
        ("ParticipantPlaced", envelope.participant_id)
    ]
    workshop = await placement.workshop(CARE)
    assert (workshop["occupied"], workshop["waitlist_length"]) == (1, 0)
    connection = await asyncpg.connect(placement.settings.database_url)
    try:
        handled = await connection.fetchval(
            "SELECT count(*) FROM inbox WHERE consumer = 'placement' AND event_id = $1", envelope.event_id
        )
    finally:
        await connection.close()
    assert handled == 1


async def test_concurrent_enrolments_never_overbook_and_queue_in_distinct_positions(
    placement_settings: PlacementSettings,
) -> None:
    """Twelve transactions race for three care seats (bike_metal, their second choice, has none)."""
    settings = placement_settings.model_copy(update={"workshop_capacities": "care=3,bike_metal=0"})
    app = create_app(settings)
    async with running_app(app) as client:
        service = PlacementUnderTest(app=app, client=client, settings=settings)
        unit_of_work = app.state.unit_of_work

        async def enrol_directly() -> None:
            uow: PlacementUnitOfWork = unit_of_work()
            command = handlers.PlaceOrWaitlist(
                enrolment=Enrolment(uuid.uuid4(), (CARE, BIKE), Funder.CITY, dt.date(2026, 11, 23)),
                now=dt.datetime.now(dt.UTC),
                correlation_id=uuid.uuid4(),
                causation_id=uuid.uuid4(),
            )
            async with uow:
                await handlers.place_or_waitlist(command, uow=uow)
                await uow.commit()

        await asyncio.gather(*(enrol_directly() for _ in range(12)))

        workshop = await service.workshop(CARE)
        assert (workshop["occupied"], workshop["free_seats"], workshop["waitlist_length"]) == (3, 0, 9)
        waitlist = await client.get("/v1/workshops/care/waitlist", headers=auth_header("manager"))
        assert [item["position"] for item in waitlist.json()["items"]] == list(range(1, 10))
        published = await service.all_published()
        assert Counter(event.event_type for event in published) == {
            "ParticipantPlaced": 3,
            "ParticipantWaitlisted": 9,
        }
        positions = sorted(event.data["position"] for event in published if "position" in event.data)
        assert positions == list(range(1, 10))


async def test_a_raised_capacity_applies_on_restart_and_seats_those_waiting(
    placement_settings: PlacementSettings,
) -> None:
    seated, first_waiting, second_waiting = enrolled(CARE), enrolled(CARE), enrolled(CARE)
    app = create_app(placement_settings)
    async with running_app(app) as client:
        service = PlacementUnderTest(app=app, client=client, settings=placement_settings)
        await service.enrol(seated)
        await service.wait_for_status(seated.participant_id, "placed")
        for envelope in (first_waiting, second_waiting):
            await service.enrol(envelope)
            await service.wait_for_status(envelope.participant_id, "waitlisted")

    raised = placement_settings.model_copy(update={"workshop_capacities": "care=2"})
    app = create_app(raised)
    async with running_app(app) as client:
        service = PlacementUnderTest(app=app, client=client, settings=raised)
        workshop = await service.workshop(CARE)
        assert (workshop["capacity"], workshop["occupied"], workshop["waitlist_length"]) == (2, 2, 1)
        assert (await service.workshop(BIKE))["capacity"] == 14  # no longer named: the default again
        now_placed = await service.placement_of(first_waiting.participant_id)
        assert now_placed is not None
        assert (now_placed["status"], now_placed["from_waitlist"]) == ("placed", True)
        still_waiting = await service.placement_of(second_waiting.participant_id)
        assert still_waiting is not None
        assert still_waiting["waitlist_position"] == 1
        published = await service.all_published()
        from_waitlist = [
            e for e in published if e.event_type == "ParticipantPlaced" and e.data["from_waitlist"]
        ]
        assert [event.participant_id for event in from_waitlist] == [first_waiting.participant_id]
