"""A database that turns read-only (as a primary does after a failover) or loses its connections
while enrolments arrive: nothing is dead-lettered, and every enrolment is handled exactly once
as soon as the database takes writes again."""

from __future__ import annotations

import asyncio
from collections import Counter
from urllib.parse import urlparse

import asyncpg
import pytest

from tests.integration.placement.conftest import PlacementUnderTest, enrolled
from tests.support.consumers import message_count
from werkstattnetz_devstack.testing import PostgresForTests
from werkstattnetz_shared.events.vocabulary import WorkArea
from werkstattnetz_shared.messaging.record_handling import Outcome
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, dead_letter_topic

pytestmark = pytest.mark.integration

DECISIONS = {"ParticipantPlaced", "ParticipantWaitlisted"}


async def _set_read_only(admin_dsn: str, database: str, read_only: bool) -> None:
    """Change the database's default and cut its sessions, so every new one gets the new default."""
    admin = await asyncpg.connect(admin_dsn)
    try:
        setting = (
            "SET default_transaction_read_only = on" if read_only else "RESET default_transaction_read_only"
        )
        await admin.execute(f'ALTER DATABASE "{database}" {setting}')
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = $1 AND pid <> pg_backend_pid()",
            database,
        )
    finally:
        await admin.close()


async def test_a_read_only_database_pauses_the_consumer_and_nothing_is_parked(
    placement: PlacementUnderTest, postgres_server: PostgresForTests
) -> None:
    database = urlparse(placement.settings.database_url).path.lstrip("/")
    warm_up = enrolled(WorkArea.CARE)
    await placement.enrol(warm_up)
    await placement.wait_for_status(warm_up.participant_id, "placed")

    await _set_read_only(postgres_server.admin_dsn, database, read_only=True)
    arriving = [enrolled(WorkArea.BIKE_METAL) for _ in range(8)]  # no bike seats: all wait
    try:
        for envelope in arriving:
            await placement.enrol(envelope)
        await asyncio.sleep(5)  # far longer than max_attempts × retry backoff
        consumer = placement.app.state.runtime.consumer
        assert consumer.count(Outcome.DEAD_LETTERED) == 0
        assert consumer.count(Outcome.HANDLED) == 1  # only the warm-up
    finally:
        await _set_read_only(postgres_server.admin_dsn, database, read_only=False)

    for envelope in arriving:
        await placement.wait_for_status(envelope.participant_id, "waitlisted")
    await placement.wait_until_consumed()
    bootstrap = placement.bootstrap_servers
    assert await message_count(bootstrap, dead_letter_topic(placement.settings.topic(INTAKE_EVENTS))) == 0

    published = await placement.all_published()
    decisions = Counter(e.participant_id for e in published if e.event_type in DECISIONS)
    assert decisions == Counter({envelope.participant_id: 1 for envelope in [warm_up, *arriving]})
    connection = await asyncpg.connect(placement.settings.database_url)
    try:
        handled = await connection.fetchval("SELECT count(*) FROM inbox WHERE consumer = 'placement'")
    finally:
        await connection.close()
    assert handled == len(arriving) + 1
