"""The follow-up timer is durable and fires exactly once: a follow-up that fell due while outcomes
was stopped is announced at the next start (once); two outcomes apps on one database announce each
follow-up exactly once between them."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import Counter

import pytest

from outcomes.app import create_app
from outcomes.application import handlers
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.stay import Enrolment
from outcomes.settings import OutcomesSettings
from tests.integration.outcomes.follow_up_support import (
    follow_ups_in_database,
    outbox,
    outcomes_running,
    outcomes_settings,
)
from tests.support.clock import service_today
from tests.support.kafka_tools import collect_events
from tests.support.served_app import free_port
from tests.support.service_app import eventually, running_app
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource

pytestmark = pytest.mark.integration

EXIT_DAY = service_today() - dt.timedelta(days=1)


async def exit_someone(unit_of_work: OutcomesUnitOfWork, settings: OutcomesSettings) -> uuid.UUID:
    """Enrol and exit one participant through the use cases (what the consumer and route do)."""
    participant_id = uuid.uuid4()
    enrolment = Enrolment(
        EXIT_DAY - dt.timedelta(days=90),
        Funder.JOBCENTER,
        AgeBand.AGE_18_20,
        ReferralSource.SELF,
        uuid.uuid4(),
    )
    async with unit_of_work:
        await handlers.when_participant_enrolled(participant_id, enrolment, uuid.uuid4(), uow=unit_of_work)
        await unit_of_work.commit()
    command = handlers.RecordExit(
        participant_id=participant_id,
        destination=Destination.APPRENTICESHIP,
        exit_date=EXIT_DAY,
        today=service_today(),
        staff_subject="carla.case",
        correlation_id=uuid.uuid4(),
        schedule=settings.follow_up_schedule,
    )
    async with unit_of_work:
        await handlers.record_exit(command, uow=unit_of_work)
        await unit_of_work.commit()
    return participant_id


async def test_a_follow_up_that_fell_due_while_outcomes_was_stopped_is_announced_once_at_the_next_start(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> None:
    settings = await outcomes_settings(
        kafka_broker, postgres_server, follow_up_delay_s=3.0, follow_up_poll_s=0.1
    )
    async with outcomes_running(settings) as outcomes:
        response = await outcomes.client.get("/health/live")
        assert response.status_code == 200
        participant_id = uuid.uuid4()
        await outcomes.enrol_and_place(participant_id)
        assert (await outcomes.exit(participant_id, "employment", EXIT_DAY)).status_code == 201
    # Stopped before its moment: nothing has announced it.
    [stored] = await follow_ups_in_database(settings)
    assert stored["due_published_at"] is None
    assert await outbox(settings, "FollowUpDue") == []
    await asyncio.sleep(max(0.0, (stored["due_at"] - dt.datetime.now(dt.UTC)).total_seconds()) + 0.5)

    async with outcomes_running(settings) as outcomes:

        async def announced() -> bool:
            return len(await outbox(settings, "FollowUpDue")) == 1

        await eventually(announced, what="the follow-up announced after the restart")
        await asyncio.sleep(1.0)  # several more rounds of the timer: still once
        [due] = await outbox(settings, "FollowUpDue")
        assert (due.participant_id, due.data["follow_up_id"]) == (participant_id, str(stored["follow_up_id"]))
        published = await collect_events(
            settings.kafka_bootstrap_servers,
            outcomes.outcomes_topic,
            until=lambda events: any(event.event_type == "FollowUpDue" for event in events),
        )
        assert [event.event_id for event in published if event.event_type == "FollowUpDue"] == [due.event_id]
    [stored] = await follow_ups_in_database(settings)
    assert stored["due_published_at"] is not None
    assert len(await outbox(settings, "FollowUpDue")) == 1


async def test_two_outcomes_apps_on_one_database_announce_each_follow_up_exactly_once(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> None:
    first = await outcomes_settings(
        kafka_broker, postgres_server, follow_up_delay_s=0.2, follow_up_poll_s=0.05
    )
    first = first.model_copy(update={"http_port": free_port()})
    second = first.model_copy(update={"http_port": free_port()})
    apps = [create_app(first), create_app(second)]
    exits = 60
    async with running_app(apps[0]), running_app(apps[1]):
        for round_ in range(exits):
            app = apps[round_ % 2]  # both apps record exits, so both schedule follow-ups
            await exit_someone(app.state.unit_of_work(), first)
            await asyncio.sleep(0.02)

        async def all_announced() -> bool:
            return len(await outbox(first, "FollowUpDue")) >= exits

        await eventually(all_announced, what="every follow-up announced")
        await asyncio.sleep(0.5)
        timers = [app.state.follow_up_timer.announced for app in apps]

    announced = await outbox(first, "FollowUpDue")
    assert Counter(Counter(event.data["follow_up_id"] for event in announced).values()) == {1: exits}
    rows = await follow_ups_in_database(first)
    assert {str(row["follow_up_id"]) for row in rows} == {event.data["follow_up_id"] for event in announced}
    assert all(row["due_published_at"] is not None for row in rows)
    assert sum(timers) == exits, timers
    print(f"\n[follow-up timer] FollowUpDue {len(announced)}; announced by the two apps: {timers}")
