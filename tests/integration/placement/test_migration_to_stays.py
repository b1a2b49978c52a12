"""Revision 0003 keeps what placement knew before re-entry existed: every participant becomes the
first stay (or, with only an exit heard, stay 0 with that exit ahead of its enrolment)."""

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
from tests.integration.placement.conftest import PlacementUnderTest, enrolled
from tests.support.service_app import running_app
from werkstattnetz_shared.db.migrations import alembic_config
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

ENROLLED_ON = dt.date(2026, 10, 1)
EXITED_ON = dt.date(2026, 10, 20)


async def test_participants_recorded_before_re_entry_become_their_first_stay(
    placement_settings: PlacementSettings,
) -> None:
    dsn = placement_settings.database_url
    await asyncio.to_thread(command.upgrade, alembic_config(dsn, MIGRATIONS), "0002")
    placed, ended, exit_first = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("INSERT INTO workshops (work_area, capacity) VALUES ('care', 1)")
        await connection.execute(
            """
            INSERT INTO participants (participant_id, status, preferred_work_areas, funder, enrolled_on,
                work_area, placed_on, ended_on, exited_on)
            VALUES ($1, 'placed', '{care}', 'city', $4, 'care', $4, NULL, NULL),
                   ($2, 'ended', '{care}', 'city', $4, 'care', $4, $5, $5),
                   ($3, 'exited_before_enrolment', '{}', NULL, NULL, NULL, NULL, NULL, $5)
            """,
            placed,
            ended,
            exit_first,
            ENROLLED_ON,
            EXITED_ON,
        )
    finally:
        await connection.close()

    app = create_app(placement_settings)  # migrates to the newest revision at start
    async with running_app(app) as client:
        service = PlacementUnderTest(app=app, client=client, settings=placement_settings)
        views = {p: await service.placement_of(p) for p in (placed, ended, exit_first)}
        assert {p: (v or {})["stay"] for p, v in views.items()} == {placed: 1, ended: 1, exit_first: 0}
        assert {p: (v or {})["status"] for p, v in views.items()} == {
            placed: "placed",
            ended: "ended",
            exit_first: "exited_before_enrolment",
        }

        # The late enrolment of the one whose exit came first still takes no seat ...
        await service.enrol(enrolled(WorkArea.CARE, participant_id=exit_first, enrolled_on=ENROLLED_ON))
        await service.wait_until_consumed()
        noted = await service.placement_of(exit_first) or {}
        assert (noted["stay"], noted["work_area"]) == (1, None)
        # ... and the one who left comes back on a second stay, waiting for the one seat.
        await service.enrol(enrolled(WorkArea.CARE, participant_id=ended))
        back = await service.wait_for_status(ended, "waitlisted")
        assert (back["stay"], back["waitlist_position"]) == (2, 1)
