"""Revision 0004 keeps exits recorded before it: they get the Jobcenter's view from their
destination, no reason or next step, and a follow-up on the default schedule (182 days after the
exit date); one that is due already is announced once at the next start. Downgrading drops it all."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import asyncpg
import pytest
from alembic import command

from outcomes.bootstrap import MIGRATIONS
from tests.integration.outcomes.follow_up_support import (
    follow_ups_in_database,
    outbox,
    outcomes_running,
    outcomes_settings,
)
from tests.support.clock import service_today
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.db.migrations import alembic_config

pytestmark = pytest.mark.integration

LONG_AGO = dt.date(2024, 3, 1)
RECENTLY = service_today() - dt.timedelta(days=10)


async def test_exits_recorded_before_get_the_jobcenters_view_and_a_follow_up(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> None:
    settings = await outcomes_settings(kafka_broker, postgres_server)
    config = alembic_config(settings.database_url, MIGRATIONS)
    await asyncio.to_thread(command.upgrade, config, "0003")
    old, recent = uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(settings.database_url)
    try:
        for participant_id, destination, exit_date in (
            (old, "therapy", LONG_AGO),
            (recent, "employment", RECENTLY),
        ):
            await connection.execute("INSERT INTO participants (participant_id) VALUES ($1)", participant_id)
            await connection.execute(
                "INSERT INTO stays (participant_id, stay, enrolled_on, funder, age_band, referral_source, "
                "placement_status, work_area) VALUES ($1, 1, $2, 'jobcenter', '18-20', 'jobcenter', "
                "'placement_ended', 'care')",
                participant_id,
                exit_date - dt.timedelta(days=100),
            )
            await connection.execute(
                "INSERT INTO exits (participant_id, stay, destination, exit_date, integrated, work_area, "
                "funder, funders, recorded_by) "
                "VALUES ($1, 1, $2, $3, true, 'care', 'jobcenter', ARRAY['jobcenter'], 'x')",
                participant_id,
                destination,
                exit_date,
            )
    finally:
        await connection.close()

    async with outcomes_running(settings) as outcomes:  # migrates to the head and starts the timer

        async def old_one_announced() -> bool:
            return len(await outbox(settings, "FollowUpDue")) == 1

        await eventually(old_one_announced, what="the follow-up due long ago announced")
        [due] = await outbox(settings, "FollowUpDue")
        assert (due.participant_id, due.data["destination"], due.data["jobcenter_integrated"]) == (
            old,
            "therapy",
            False,
        )
        assert due.data["due_on"] == (LONG_AGO + dt.timedelta(days=182)).isoformat()
        overdue = await outcomes.client.get("/v1/follow-ups?status=overdue", headers=auth_header("manager"))
        assert [item["participant_id"] for item in overdue.json()["items"]] == [str(old)]
        scheduled = await outcomes.client.get(
            "/v1/follow-ups?status=scheduled", headers=auth_header("manager")
        )
        assert [item["due_on"] for item in scheduled.json()["items"]] == [
            (RECENTLY + dt.timedelta(days=182)).isoformat()
        ]
        report = (await outcomes.client.get("/v1/reports/integration", headers=auth_header("manager"))).json()
        assert (report["integrations"], report["jobcenter_integrations"]) == (2, 1)
        assert report["by_reason"]["not_recorded"] == 2
    assert len(await follow_ups_in_database(settings)) == 2

    await asyncio.to_thread(command.downgrade, config, "0003")
    connection = await asyncpg.connect(settings.database_url)
    try:
        assert await connection.fetchval("SELECT to_regclass('follow_ups')") is None
        assert await connection.fetchval("SELECT count(*) FROM exits") == 2
    finally:
        await connection.close()
