"""Revision 0004 keeps what placement knew when work areas were its workshops: each area's row
becomes a workshop record (no default workshops are added on top), seated people sit in it with
an open spell, ended placements become ended spells, and the queue keeps its order."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import asyncpg
import pytest
from alembic import command

from placement.app import create_app
from placement.bootstrap import MIGRATIONS
from placement.settings import PlacementSettings
from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest, exited
from tests.support.service_app import running_app
from werkstattnetz_shared.db.migrations import alembic_config
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

ENROLLED_ON = dt.date(2026, 10, 1)
ENDED_ON = dt.date(2026, 10, 20)
EARLY = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)


async def test_work_areas_become_workshops_and_the_people_in_them_keep_their_places(
    placement_settings: PlacementSettings,
) -> None:
    dsn = placement_settings.database_url
    await asyncio.to_thread(command.upgrade, alembic_config(dsn, MIGRATIONS), "0003")
    seated, ended, first, second = (uuid.uuid4() for _ in range(4))
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            "INSERT INTO workshops (work_area, capacity) VALUES "
            "('care', 1), ('bike_metal', 14), ('garden_landscape', 14), ('building_services', 14)"
        )
        await connection.execute(
            """
            INSERT INTO participants (participant_id, status, preferred_work_areas, funder, enrolled_on,
                work_area, placed_on, ended_on, exited_on, waiting_since, waitlist_number)
            VALUES ($1, 'placed', '{care}', 'city', $5, 'care', $5, NULL, NULL, NULL, NULL),
                   ($2, 'ended', '{care}', 'jobcenter', $5, 'care', $5, $6, $6, NULL, NULL),
                   ($3, 'waitlisted', '{care}', 'city', $5, 'care', NULL, NULL, NULL, $7,
                    nextval('waitlist_numbers')),
                   ($4, 'waitlisted', '{care}', 'city', $5, 'care', NULL, NULL, NULL, $8,
                    nextval('waitlist_numbers'))
            """,
            seated,
            ended,
            first,
            second,
            ENROLLED_ON,
            ENDED_ON,
            EARLY,
            EARLY + dt.timedelta(hours=1),
        )
    finally:
        await connection.close()

    app = create_app(placement_settings)  # migrates to the newest revision at start
    async with running_app(app) as client:
        service = PlacementUnderTest(app=app, client=client, settings=placement_settings)
        workshops = (await client.get("/v1/workshops", headers=CASEWORKER)).json()
        assert sorted((w["work_area"], w["name"], w["seats"]) for w in workshops) == [
            ("bike_metal", "Fahrrad und Metall", 14),
            ("building_services", "Gebäudeassistenz", 14),
            ("care", "Betreuung und Pflege", 1),
            ("garden_landscape", "Garten- und Landschaftspflege", 14),
        ]
        care = await service.workshop_id(WorkArea.CARE)
        sitting = await service.placement_of(seated)
        assert sitting is not None
        assert (sitting["status"], sitting["workshop_id"], sitting["funders"]) == (
            "placed",
            str(care),
            ["city"],
        )
        page = (await client.get("/v1/workshops/care/waitlist", headers=CASEWORKER)).json()
        assert [item["participant_id"] for item in page["items"]] == [str(first), str(second)]
        assert page["items"][0]["waiting_since"] == "2026-10-02T09:00:00Z"

        connection = await asyncpg.connect(dsn)
        try:
            spells = await connection.fetch(
                "SELECT participant_id, workshop_id, placed_on, ended_on, end_reason FROM placement_spells"
            )
        finally:
            await connection.close()
        assert {tuple(row.values()) for row in spells} == {
            (seated, care, ENROLLED_ON, None, None),
            (ended, care, ENROLLED_ON, ENDED_ON, "exited"),
        }

        await service.exit(exited(seated, dt.date(2026, 11, 24)))
        offer = await service.wait_for_offer(first)
        assert offer["workshop_id"] == str(care)
