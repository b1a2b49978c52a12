"""Revision 0003 keeps what outcomes knew before re-entry existed: each participant becomes its
first stay with its exit, reports count the same, and placement news heard early stays early."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import asyncpg
import pytest
from alembic import command

from outcomes.app import create_app
from outcomes.bootstrap import MIGRATIONS
from outcomes.settings import OutcomesSettings
from tests.integration.outcomes.conftest import OutcomesUnderTest, enrolled
from tests.support.kafka_tools import create_topics, unique_prefix
from tests.support.service_app import running_app
from tests.support.tokens import auth_header
from werkstattnetz_shared.db.migrations import alembic_config
from werkstattnetz_shared.events.vocabulary import Funder
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

pytestmark = pytest.mark.integration

ENROLLED_ON = dt.date(2025, 1, 6)
EXITED_ON = dt.date(2025, 3, 3)


async def test_participants_recorded_before_re_entry_become_their_first_stay(  # type: ignore[no-untyped-def]
    kafka_broker, postgres_server
) -> None:
    settings = OutcomesSettings(
        database_url=postgres_server.create_database(f"outcomes_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka_broker.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        outbox_poll_interval_s=0.2,
    )
    topics = (
        settings.topic(INTAKE_EVENTS),
        settings.topic(PLACEMENT_EVENTS),
        settings.topic(OUTCOMES_EVENTS),
    )
    await create_topics(settings.kafka_bootstrap_servers, *topics)
    await asyncio.to_thread(command.upgrade, alembic_config(settings.database_url, MIGRATIONS), "0002")
    exited, placed, heard_early = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(settings.database_url)
    try:
        await connection.execute(
            """
            INSERT INTO participants (participant_id, status, enrolled_on, funder, age_band,
                referral_source, work_area, waitlisted_for)
            VALUES ($1, 'exited', $4, 'jobcenter', '18-20', 'jobcenter', 'care', NULL),
                   ($2, 'placed', $4, 'city', '21-25', 'self', 'bike_metal', NULL),
                   ($3, 'waitlisted', NULL, NULL, NULL, NULL, NULL, 'care');
            """,
            exited,
            placed,
            heard_early,
            ENROLLED_ON,
        )
        await connection.execute(
            "INSERT INTO exits (participant_id, destination, exit_date, integrated, work_area, funder, "
            "recorded_by) VALUES ($1, 'employment', $2, true, 'care', 'jobcenter', 'someone')",
            exited,
            EXITED_ON,
        )
    finally:
        await connection.close()

    async with running_app(create_app(settings)) as client:  # migrates to the newest revision
        outcomes = OutcomesUnderTest(client=client, settings=settings)
        before = await outcomes.outcome(exited)
        assert before.status_code == 200, before.text
        assert _stay_and_status(before.json()) == (1, "exited", "care")
        assert _stay_and_status((await outcomes.outcome(placed)).json()) == (1, "placed", "bike_metal")
        assert (await outcomes.outcome(heard_early)).status_code == 404
        assert (await _report(outcomes))["exits"] == 1
        assert (await _report(outcomes, funder="jobcenter"))["integrations"] == 1

        # The early news applies once the enrolment arrives; the exited participant can come back.
        await outcomes.publish_intake(enrolled(heard_early, Funder.CITY, ENROLLED_ON))
        early = await outcomes.wait_for_status(heard_early, "waitlisted")
        assert early["waitlisted_for"] == "care"
        await outcomes.enrol_and_place(exited, enrolled_on=EXITED_ON, re_entry=True)
        back = await outcomes.wait_for_status(exited, "placed")
        assert (back["stay"], back["earlier_stays"][0]["exit"]["destination"]) == (2, "employment")
        assert (await outcomes.exit(placed, "employment", EXITED_ON)).status_code == 201
        assert (await outcomes.exit(placed, "employment", EXITED_ON)).status_code == 409


def _stay_and_status(outcome: dict[str, Any]) -> tuple[int, str, str]:
    return outcome["stay"], outcome["status"], outcome["work_area"]


async def _report(outcomes: OutcomesUnderTest, **params: str) -> dict[str, Any]:
    response = await outcomes.client.get(
        "/v1/reports/integration", params=params, headers=auth_header("reporting")
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
