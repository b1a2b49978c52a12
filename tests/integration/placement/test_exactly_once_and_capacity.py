"""Redelivery has one effect, concurrent decisions never overbook, the default workshops are made
once, and seats an admin adds are offered to those waiting."""

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
    settings = placement_settings.model_copy(update={"default_workshop_seats": "care=3,bike_metal=0"})
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
        # Each position was true when it was published; the queue is in the order of enrolment.
        assert all(1 <= event.data["position"] <= 9 for event in published if "position" in event.data)


async def test_the_default_workshops_are_made_on_the_first_start_only(
    placement_settings: PlacementSettings,
) -> None:
    app = create_app(placement_settings)
    async with running_app(app) as client:
        first = PlacementUnderTest(app=app, client=client, settings=placement_settings)
        care = await first.workshop(CARE)
        assert care["seats"] == 1

    other_defaults = placement_settings.model_copy(update={"default_workshop_seats": "care=9"})
    app = create_app(other_defaults)
    async with running_app(app) as client:
        again = PlacementUnderTest(app=app, client=client, settings=other_defaults)
        response = await client.get("/v1/workshops", headers=auth_header("manager"))
        assert len(response.json()) == 4  # no second set
        assert (await again.workshop(CARE)) == care  # the catalogue is the admins' now


async def test_seats_an_admin_adds_are_offered_to_those_waiting_in_order(
    placement: PlacementUnderTest,
) -> None:
    seated, first_waiting, second_waiting, third_waiting = (enrolled(CARE) for _ in range(4))
    await placement.enrol(seated)
    await placement.wait_for_status(seated.participant_id, "placed")
    for envelope in (first_waiting, second_waiting, third_waiting):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, "waitlisted")

    care = await placement.workshop_id(CARE)
    raised = await placement.client.patch(
        f"/v1/workshops/{care}", json={"seats": 3}, headers=auth_header("admin")
    )
    assert raised.status_code == 200, raised.text
    assert (raised.json()["seats"], raised.json()["placed"], raised.json()["open_offers"]) == (3, 1, 2)
    offers = await placement.offers(status="open")
    assert sorted(offer["participant_id"] for offer in offers) == sorted(
        str(e.participant_id) for e in (first_waiting, second_waiting)
    )
    assert await placement.open_offer_of(third_waiting.participant_id) is None
    assert [e.event_type for e in await placement.outbox_events("PlacementOffered")] == [
        "PlacementOffered"
    ] * 2
