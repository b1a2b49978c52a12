"""The offer timer is durable and fires exactly once: an offer whose time ran out while placement
was stopped expires when it starts again (once), and the seat is offered to the next in line;
two placement apps on one database expire each offer exactly once between them."""

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
from tests.integration.placement.conftest import PlacementUnderTest, enrolled, exited
from tests.support.served_app import free_port
from tests.support.service_app import eventually, running_app
from tests.support.tokens import auth_header
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

pytestmark = pytest.mark.integration

CARE = WorkArea.CARE
EXIT_DATE = dt.date(2026, 11, 24)


def short_offers(settings: PlacementSettings, seconds: float) -> PlacementSettings:
    return settings.model_copy(update={"offer_valid_hours": seconds / 3600, "offer_expiry_poll_s": 0.05})


async def offers_in_database(settings: PlacementSettings) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(settings.database_url)
    try:
        return list(await connection.fetch("SELECT * FROM offers ORDER BY offered_at, offer_id"))
    finally:
        await connection.close()


async def outbox(settings: PlacementSettings, event_type: str) -> list[EventEnvelope]:
    connection = await asyncpg.connect(settings.database_url)
    try:
        rows = await connection.fetch(
            "SELECT payload FROM outbox WHERE event_type = $1 ORDER BY id", event_type
        )
    finally:
        await connection.close()
    return [EventEnvelope.from_json_bytes(row["payload"].encode()) for row in rows]


async def test_an_offer_that_ran_out_while_placement_was_stopped_expires_once_at_the_next_start(
    placement_settings: PlacementSettings,
) -> None:
    settings = short_offers(placement_settings, seconds=5)
    seated, first, second = enrolled(CARE), enrolled(CARE), enrolled(CARE)
    app = create_app(settings)
    async with running_app(app) as client:
        service = PlacementUnderTest(app=app, client=client, settings=settings)
        await service.enrol(seated)
        await service.wait_for_status(seated.participant_id, "placed")
        for envelope in (first, second):
            await service.enrol(envelope)
            await service.wait_for_status(envelope.participant_id, "waitlisted")
        await service.exit(exited(seated.participant_id, EXIT_DATE))
        offer = await service.wait_for_offer(first.participant_id)
    # Stopped with the offer open: nothing has expired it.
    [stored] = await offers_in_database(settings)
    assert (str(stored["offer_id"]), stored["status"]) == (offer["offer_id"], "open")
    assert await outbox(settings, "OfferExpired") == []

    wait = (stored["expires_at"] - dt.datetime.now(dt.UTC)).total_seconds() + 1.0
    await asyncio.sleep(max(wait, 0))  # the deadline passes while no placement runs

    app = create_app(settings)
    async with running_app(app) as client:
        service = PlacementUnderTest(app=app, client=client, settings=settings)
        passed_on = await service.wait_for_offer(second.participant_id)
        [expired] = await outbox(settings, "OfferExpired")
        assert (expired.participant_id, expired.data["offer_id"]) == (first.participant_id, offer["offer_id"])
        assert expired.data["expired_at"] == offer["expires_at"]
        first_now = await service.placement_of(first.participant_id)
        assert first_now is not None
        assert (first_now["status"], first_now["waitlist_position"], first_now["open_offer"]) == (
            "waitlisted",
            1,
            None,
        )
        # The next offer runs its own full time, from when it was made.
        offered_at = dt.datetime.fromisoformat(passed_on["offered_at"])
        assert dt.datetime.fromisoformat(passed_on["expires_at"]) - offered_at == dt.timedelta(seconds=5)
        assert (await service.accept(passed_on["offer_id"])).status_code == 200
        late = await service.accept(offer["offer_id"])
        assert late.status_code == 409
        assert late.json()["error"]["code"] == "offer_must_be_open"
    statuses = Counter(row["status"] for row in await offers_in_database(settings))
    assert statuses == {"expired": 1, "accepted": 1}
    assert len(await outbox(settings, "OfferExpired")) == 1


async def test_two_placement_apps_on_one_database_expire_each_offer_exactly_once(
    placement_settings: PlacementSettings,
) -> None:
    first_app = short_offers(placement_settings, seconds=1.5).model_copy(update={"http_port": free_port()})
    second_app = first_app.model_copy(update={"http_port": free_port()})
    apps = [create_app(first_app), create_app(second_app)]
    async with running_app(apps[0]) as client, running_app(apps[1]):
        unit_of_work = apps[0].state.unit_of_work
        for _ in range(9):  # one placed on the one care seat, eight waiting
            uow: PlacementUnitOfWork = unit_of_work()
            async with uow:
                await handlers.place_or_waitlist(
                    handlers.PlaceOrWaitlist(
                        enrolment=Enrolment(uuid.uuid4(), (CARE,), Funder.CITY, dt.date(2026, 11, 23)),
                        now=dt.datetime.now(dt.UTC),
                        correlation_id=uuid.uuid4(),
                        causation_id=uuid.uuid4(),
                    ),
                    uow=uow,
                )
                await uow.commit()
        service = PlacementUnderTest(app=apps[0], client=client, settings=first_app)
        care = await service.workshop_id(CARE)
        raised = await client.patch(f"/v1/workshops/{care}", json={"seats": 5}, headers=auth_header("admin"))
        assert (
            raised.json()["open_offers"] == 4
        )  # nobody answers: each expires and passes on, again and again

        async def many_expired() -> bool:
            return len(await outbox(first_app, "OfferExpired")) >= 16

        await eventually(many_expired, timeout_s=30, what="four rounds of offers expiring")
        timers = [app.state.offer_timer.expired for app in apps]

    expired = await outbox(first_app, "OfferExpired")
    assert Counter(Counter(e.data["offer_id"] for e in expired).values()) == {1: len(expired)}
    rows = await offers_in_database(first_app)
    assert {str(row["offer_id"]) for row in rows if row["status"] == "expired"} == {
        e.data["offer_id"] for e in expired
    }
    assert sum(row["status"] == "open" for row in rows) <= 4  # never more offers than free seats
    assert sum(timers) >= 16, timers  # each app's share: printed on failure
    print(f"\n[offer timer] OfferExpired {len(expired)}; expired by the two apps: {timers}")
