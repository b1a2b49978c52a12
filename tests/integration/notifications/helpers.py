"""Events to publish at notifications, and reading its deliveries and announcements back."""

from __future__ import annotations

import datetime as dt
import uuid
from email.message import EmailMessage
from typing import Any

from tests.integration.notifications.conftest import NotificationsUnderTest
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
from werkstattnetz_shared.events import (
    EventEnvelope,
    IntegrationAchieved,
    ParticipantPlaced,
    ParticipantWaitlisted,
)
from werkstattnetz_shared.events.vocabulary import Destination, Funder, WorkArea
from werkstattnetz_shared.messaging.topics import NOTIFICATIONS_EVENTS

CASEWORKER = auth_header("caseworker")


def placed(participant_id: uuid.UUID | None = None, area: WorkArea = WorkArea.BIKE_METAL) -> EventEnvelope:
    return EventEnvelope.wrap(
        ParticipantPlaced(work_area=area, placed_on=dt.date(2026, 11, 24), from_waitlist=True),
        producer="placement",
        participant_id=participant_id or uuid.uuid4(),
    )


def waitlisted(participant_id: uuid.UUID | None = None) -> EventEnvelope:
    return EventEnvelope.wrap(
        ParticipantWaitlisted(work_area=WorkArea.CARE, position=3),
        producer="placement",
        participant_id=participant_id or uuid.uuid4(),
    )


def integrated(participant_id: uuid.UUID | None = None, *, imported: bool | None = None) -> EventEnvelope:
    return EventEnvelope.wrap(
        IntegrationAchieved(
            destination=Destination.APPRENTICESHIP,
            exit_date=dt.date(2026, 11, 20),
            work_area=WorkArea.GARDEN_LANDSCAPE,
            funder=Funder.JOBCENTER,
            imported=imported,
        ),
        producer="outcomes",
        participant_id=participant_id or uuid.uuid4(),
    )


def message_id(mail: EmailMessage) -> str:
    """Long Message-ID lines are folded by the sender (legal in RFC 5322), so unfold before comparing."""
    return str(mail["Message-ID"]).strip()


def expected_message_id(trigger: EventEnvelope) -> str:
    return f"<notification.{trigger.event_id}@werkstatt.example>"


async def list_deliveries(service: NotificationsUnderTest, **params: Any) -> list[dict[str, Any]]:
    response = await service.client.get("/v1/deliveries", params=params, headers=CASEWORKER)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def wait_for_deliveries(
    service: NotificationsUnderTest, count: int, status: str, timeout_s: float = 30.0
) -> list[dict[str, Any]]:
    async def listed() -> bool:
        return len(await list_deliveries(service, status=status)) >= count

    await eventually(listed, timeout_s=timeout_s, what=f"{count} {status} deliveries")
    return await list_deliveries(service)


async def notifications_sent(service: NotificationsUnderTest, count: int) -> list[EventEnvelope]:
    return await collect_events(
        service.settings.kafka_bootstrap_servers,
        service.topic(NOTIFICATIONS_EVENTS),
        until=lambda events: len(events) >= count,
    )
