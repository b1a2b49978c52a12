"""The four services as the fuzzer meets them: served over HTTP, each holding a few records.

Each runs as `python -m <service>` runs it (uvicorn, real lifespan) against the session's real
PostgreSQL and Kafka, with a fresh database and topic prefix. The records come in through the
services' real entry points: intake's API, the other services' topics. Their ids are what the
fuzzer cannot guess (see `checks.point_some_ids_at_known_records`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from intake.app import create_app as create_intake
from intake.settings import IntakeSettings
from notifications.app import create_app as create_notifications
from notifications.settings import NotificationsSettings
from outcomes.app import create_app as create_outcomes
from outcomes.settings import OutcomesSettings
from placement.app import create_app as create_placement
from placement.settings import PlacementSettings
from tests.support.kafka_tools import create_topics, publish, unique_prefix
from tests.support.served_app import free_port, served_over_http
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    ParticipantEnrolled,
    ParticipantPlaced,
    ParticipantWaitlisted,
)
from werkstattnetz_shared.events.vocabulary import AgeBand, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

ADMIN = auth_header("admin")

# The seeded participants, the same in every run (each service has a fresh database).
PARTICIPANTS = [uuid.UUID(f"00000000-0000-4000-8000-00000000000{number}") for number in (1, 2, 3)]


@dataclass
class ServedService:
    name: str
    base_url: str
    known_ids: dict[str, list[str]]
    """Per parameter name (`referral_id`, `participant_id`, `after`, …), ids of records it holds."""


ServeService = Callable[[KafkaForTests, PostgresForTests], AbstractAsyncContextManager[ServedService]]


def referral(first_name: str, *, birth_date: str) -> dict[str, Any]:
    return {
        "first_name": first_name,
        "last_name": "Beispiel",
        "birth_date": birth_date,
        "email": f"{first_name.lower()}@example.org",
        "phone": "+49 30 123456",
        "referral_source": "jobcenter",
        "referring_organisation": "Jobcenter Berlin Mitte",
        "contact_person": "Frau Berger",
        "preferred_work_areas": ["care", "bike_metal"],
    }


def enrolled(participant_id: uuid.UUID, enrolled_on: dt.date, *areas: WorkArea) -> EventEnvelope:
    data = ParticipantEnrolled(
        age_band=AgeBand.AGE_18_20,
        referral_source=ReferralSource.JOBCENTER,
        funder=Funder.JOBCENTER,
        preferred_work_areas=list(areas),
        enrolled_on=enrolled_on,
    )
    return EventEnvelope.wrap(data, producer="intake", participant_id=participant_id)


def from_placement(participant_id: uuid.UUID, data: EventData) -> EventEnvelope:
    return EventEnvelope.wrap(data, producer="placement", participant_id=participant_id)


async def wait_for(client: httpx.AsyncClient, path: str, *, until: Callable[[Any], bool], what: str) -> Any:
    """GET `path` until it answers 200 with a body for which `until(body)` holds; returns it."""
    seen: list[Any] = [None]

    async def holds() -> bool:
        response = await client.get(path)
        seen[0] = response.json() if response.status_code == 200 else None
        return seen[0] is not None and until(seen[0])

    await eventually(holds, what=what)
    return seen[0]


@asynccontextmanager
async def admin_client_of(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client for seeding, once the service is ready (database and broker answer)."""
    async with httpx.AsyncClient(base_url=base_url, headers=ADMIN) as client:
        await wait_for(client, "/health/ready", until=lambda body: True, what=f"{base_url} to be ready")
        yield client


@asynccontextmanager
async def serve_intake(kafka: KafkaForTests, postgres: PostgresForTests) -> AsyncIterator[ServedService]:
    settings = IntakeSettings(
        database_url=postgres.create_database(f"intake_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        http_port=free_port(),
        outbox_poll_interval_s=0.2,
    )
    async with (
        served_over_http(create_intake(settings), settings) as base_url,
        admin_client_of(base_url) as client,
    ):
        # Lea is enrolled; Mia is interviewed but has not consented (enrolling her is a 422); Ole
        # has consented, so the fuzzer may enrol him, reject or withdraw his referral, or erase him.
        referral_ids, participant_ids, consent_ids = [], [], []
        for person, consents in (
            (referral("Lea", birth_date="2005-06-15"), True),
            (referral("Mia", birth_date="2007-02-01"), False),
            (referral("Ole", birth_date="2006-09-30"), True),
        ):
            received = await client.post("/v1/referrals", json=person)
            assert received.status_code == 201, received.text
            referral_id, participant_id = received.json()["referral_id"], received.json()["participant_id"]
            interview = {"has_completed_vocational_training": False, "is_employed": False}
            interviewed = await client.post(f"/v1/referrals/{referral_id}/interview", json=interview)
            assert interviewed.status_code == 200, interviewed.text
            if consents:
                consent = {"purpose": "data_processing", "given_by": "participant"}
                given = await client.post(f"/v1/participants/{participant_id}/consents", json=consent)
                assert given.status_code == 201, given.text
                consent_ids.append(given.json()["consent_id"])
            referral_ids.append(referral_id)
            participant_ids.append(participant_id)
        funding = [{"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 100}]
        enrolment = await client.post(
            f"/v1/referrals/{referral_ids[0]}/enrol", json={"funding": funding, "caseworker": "carla"}
        )
        assert enrolment.status_code == 201, enrolment.text
        known_ids = {
            "referral_id": referral_ids,
            "participant_id": participant_ids,
            "same_person_as": participant_ids,
            "consent_id": consent_ids,
        }
        yield ServedService("intake", base_url, known_ids)


@asynccontextmanager
async def serve_placement(kafka: KafkaForTests, postgres: PostgresForTests) -> AsyncIterator[ServedService]:
    settings = PlacementSettings(
        database_url=postgres.create_database(f"placement_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        http_port=free_port(),
        outbox_poll_interval_s=0.2,
        default_workshop_seats="care=1,bike_metal=1",
    )
    intake_events = settings.topic(INTAKE_EVENTS)
    await create_topics(kafka.bootstrap_servers, intake_events, settings.topic(OUTCOMES_EVENTS))
    async with (
        served_over_http(create_placement(settings), settings) as base_url,
        admin_client_of(base_url) as client,
    ):
        # One seat in care: the first is placed, the second waits for it; the third gets bike_metal.
        wishes = (WorkArea.CARE, WorkArea.CARE, WorkArea.BIKE_METAL)
        for participant_id, area in zip(PARTICIPANTS, wishes, strict=True):
            envelope = enrolled(participant_id, dt.date(2026, 1, 5), area)
            await publish(kafka.bootstrap_servers, intake_events, envelope)
        for participant_id in PARTICIPANTS:
            path = f"/v1/participants/{participant_id}/placement"
            await wait_for(client, path, until=lambda body: True, what=f"placement of {participant_id}")
        yield ServedService("placement", base_url, {"participant_id": [str(p) for p in PARTICIPANTS]})


@asynccontextmanager
async def serve_outcomes(kafka: KafkaForTests, postgres: PostgresForTests) -> AsyncIterator[ServedService]:
    settings = OutcomesSettings(
        database_url=postgres.create_database(f"outcomes_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        http_port=free_port(),
        outbox_poll_interval_s=0.2,
    )
    topics = [settings.topic(name) for name in (INTAKE_EVENTS, PLACEMENT_EVENTS, OUTCOMES_EVENTS)]
    await create_topics(kafka.bootstrap_servers, *topics)
    async with (
        served_over_http(create_outcomes(settings), settings) as base_url,
        admin_client_of(base_url) as client,
    ):
        # Enrolled long ago, so that the exit dates the fuzzer tries (see FUZZING) can be valid.
        enrolled_on = dt.date(2020, 1, 6)
        participants = PARTICIPANTS[:2]
        for participant_id in participants:
            await publish(
                kafka.bootstrap_servers, topics[0], enrolled(participant_id, enrolled_on, WorkArea.CARE)
            )
            placed = ParticipantPlaced(work_area=WorkArea.CARE, placed_on=enrolled_on, from_waitlist=False)
            await publish(kafka.bootstrap_servers, topics[1], from_placement(participant_id, placed))
        for participant_id in participants:
            path = f"/v1/participants/{participant_id}/outcome"
            await wait_for(client, path, until=lambda body: body["status"] == "placed", what=path)
        # A goal with a milestone per participant, so that the fuzzer reaches the plan's changes.
        goals, milestones = [], []
        for participant_id in participants:
            plan = f"/v1/participants/{participant_id}/plan"
            goal = await client.post(f"{plan}/goals", json={"aim": "orientation", "text": "Zwei Bereiche"})
            goals.append(goal.json()["goal_id"])
            milestone = await client.post(
                f"{plan}/goals/{goals[-1]}/milestones", json={"text": "Praktikum", "due_on": "2020-03-02"}
            )
            milestones.append(milestone.json()["milestone_id"])
        known_ids = {
            "participant_id": [str(p) for p in participants],
            "goal_id": goals,
            "milestone_id": milestones,
        }
        yield ServedService("outcomes", base_url, known_ids)


@asynccontextmanager
async def serve_notifications(
    kafka: KafkaForTests, postgres: PostgresForTests
) -> AsyncIterator[ServedService]:
    smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    settings = NotificationsSettings(
        database_url=postgres.create_database(f"notifications_{uuid.uuid4().hex[:8]}"),
        kafka_bootstrap_servers=kafka.bootstrap_servers,
        kafka_topic_prefix=unique_prefix(),
        http_port=free_port(),
        outbox_poll_interval_s=0.2,
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        mail_poll_interval_s=0.2,
    )
    placement_events = settings.topic(PLACEMENT_EVENTS)
    await create_topics(kafka.bootstrap_servers, placement_events, settings.topic(OUTCOMES_EVENTS))
    try:
        async with (
            served_over_http(create_notifications(settings), settings) as base_url,
            admin_client_of(base_url) as client,
        ):
            participants = PARTICIPANTS[:2]
            events: list[EventData] = [
                ParticipantPlaced(
                    work_area=WorkArea.CARE, placed_on=dt.date(2026, 1, 5), from_waitlist=False
                ),
                ParticipantWaitlisted(work_area=WorkArea.CARE, position=1),
            ]
            for participant_id, data in zip(participants, events, strict=True):
                await publish(kafka.bootstrap_servers, placement_events, from_placement(participant_id, data))
            page = await wait_for(
                client,
                "/v1/deliveries",
                # Nobody is in the staff directory: both go to the office (the placement's mail for
                # the responsible caseworker waits for an assignment that never comes).
                until=lambda body: [item["status"] for item in body["items"]].count("sent") == 2,
                what="both mails to be sent",
            )
            known_ids = {
                "participant_id": [str(p) for p in participants],
                "after": [item["delivery_id"] for item in page["items"]],
            }
            yield ServedService("notifications", base_url, known_ids)
    finally:
        smtp.stop()


SERVE: dict[str, ServeService] = {
    "intake": serve_intake,
    "placement": serve_placement,
    "outcomes": serve_outcomes,
    "notifications": serve_notifications,
}
