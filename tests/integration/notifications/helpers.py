"""Events to publish at notifications, and reading its deliveries and announcements back."""

from __future__ import annotations

import datetime as dt
import uuid
from email.message import EmailMessage
from typing import Any

import asyncpg

from notifications.domain.delivery import message_id_for
from tests.integration.notifications.conftest import MAIL_FROM, NotificationsUnderTest
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
from tests.support.webhook_receiver import WebhookReceiver
from werkstattnetz_shared.events import (
    AbsenceThresholdReached,
    CaseworkerAssigned,
    EventEnvelope,
    IntegrationAchieved,
    OfferDeclined,
    ParticipantDataErased,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementOffered,
)
from werkstattnetz_shared.events.vocabulary import Destination, Funder, OfferDeclineReason, WorkArea
from werkstattnetz_shared.messaging.topics import NOTIFICATIONS_EVENTS

CASEWORKER = auth_header("caseworker")
ADMIN = auth_header("admin", subject="admin-test")

OFFICE = "office"
"""The recipient key of a mail to the office address (STAFF_EMAIL)."""


def staff(subject: str) -> str:
    """The recipient key of a mail to a staff member of the directory."""
    return f"staff:{subject}"


def placed(
    participant_id: uuid.UUID | None = None,
    area: WorkArea = WorkArea.BIKE_METAL,
    *,
    workshop_lead: str | None = None,
    offer_id: uuid.UUID | None = None,
) -> EventEnvelope:
    return EventEnvelope.wrap(
        ParticipantPlaced(
            work_area=area,
            placed_on=dt.date(2026, 11, 24),
            from_waitlist=True,
            workshop_lead=workshop_lead,
            offer_id=offer_id,
        ),
        producer="placement",
        participant_id=participant_id or uuid.uuid4(),
    )


def assigned(participant_id: uuid.UUID, caseworker: str) -> EventEnvelope:
    return EventEnvelope.wrap(
        CaseworkerAssigned(caseworker=caseworker, assigned_on=dt.date(2026, 11, 20)),
        producer="intake",
        participant_id=participant_id,
    )


def erased(participant_id: uuid.UUID) -> EventEnvelope:
    return EventEnvelope.wrap(
        ParticipantDataErased(erased_on=dt.date(2026, 11, 30)),
        producer="intake",
        participant_id=participant_id,
    )


def absences(participant_id: uuid.UUID) -> EventEnvelope:
    return EventEnvelope.wrap(
        AbsenceThresholdReached(
            workshop_id=uuid.uuid4(),
            work_area=WorkArea.BIKE_METAL,
            streak_started_on=dt.date(2026, 11, 23),
            streak_ended_on=dt.date(2026, 11, 25),
            unexcused_days=3,
            threshold=3,
        ),
        producer="placement",
        participant_id=participant_id,
    )


def offered(participant_id: uuid.UUID, offer_id: uuid.UUID, expires_at: dt.datetime) -> EventEnvelope:
    return EventEnvelope.wrap(
        PlacementOffered(
            offer_id=offer_id,
            workshop_id=uuid.uuid4(),
            work_area=WorkArea.CARE,
            offered_at=dt.datetime.now(dt.UTC),
            expires_at=expires_at,
        ),
        producer="placement",
        participant_id=participant_id,
    )


def declined(participant_id: uuid.UUID, offer_id: uuid.UUID) -> EventEnvelope:
    return EventEnvelope.wrap(
        OfferDeclined(
            offer_id=offer_id,
            workshop_id=uuid.uuid4(),
            work_area=WorkArea.CARE,
            reason=OfferDeclineReason.NOT_INTERESTED,
            declined_at=dt.datetime.now(dt.UTC),
        ),
        producer="placement",
        participant_id=participant_id,
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


def expected_message_id(trigger: EventEnvelope, kind: str, recipient_key: str) -> str:
    """One Message-ID per (event, kind, recipient): what a resend of that mail carries again."""
    return message_id_for(trigger.event_id, MAIL_FROM, kind, recipient_key)


def text_of(mail: EmailMessage) -> str:
    """The plain-text part (mails carry text and HTML)."""
    part = mail.get_body(preferencelist=("plain",))
    assert isinstance(part, EmailMessage), mail
    return str(part.get_content())


def mails_to(mails: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [mail for mail in mails if mail["To"] == address]


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


def of_trigger(deliveries: list[dict[str, Any]], trigger: EventEnvelope) -> list[dict[str, Any]]:
    return [d for d in deliveries if d["trigger_event_id"] == str(trigger.event_id)]


def to_office(deliveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in deliveries if d["recipient_kind"] == "office"]


def to_staff(deliveries: list[dict[str, Any]], subject: str) -> list[dict[str, Any]]:
    return [d for d in deliveries if d["recipient_subject"] == subject]


async def put_staff_member(service: NotificationsUnderTest, subject: str, **entry: Any) -> None:
    """Puts `subject` into the staff directory as an admin would."""
    response = await service.client.put(f"/v1/staff/{subject}", json=entry, headers=ADMIN)
    assert response.status_code in (200, 201), response.text


async def inbox_of(
    service: NotificationsUnderTest, subject: str, role: str = "caseworker"
) -> list[dict[str, Any]]:
    response = await service.client.get("/v1/inbox", headers=auth_header(role, subject=subject))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def query(service: NotificationsUnderTest, sql: str, *args: Any) -> list[asyncpg.Record]:
    """Reads (or, where a test says why, changes) notifications' database directly."""
    connection = await asyncpg.connect(service.settings.database_url)
    try:
        return list(await connection.fetch(sql, *args))
    finally:
        await connection.close()


async def wait_until_assigned(service: NotificationsUnderTest, participant_id: uuid.UUID) -> None:
    """intake's topic is not ordered with placement's: wait until the assignment is stored."""

    async def stored() -> bool:
        return bool(
            await query(
                service, "SELECT 1 FROM caseworker_assignments WHERE participant_id = $1", participant_id
            )
        )

    await eventually(stored, what=f"the caseworker assignment of {participant_id}")


# -- one delivery, webhooks and the announcements about a delivery (delivery tests)


async def wait_for_delivery(
    service: NotificationsUnderTest, channel: str, status: str, timeout_s: float = 30.0
) -> dict[str, Any]:
    """The one delivery over `channel` once it has `status`."""

    async def reached() -> bool:
        return bool(await list_deliveries(service, channel=channel, status=status))

    await eventually(reached, timeout_s=timeout_s, what=f"a {status} {channel} delivery")
    [delivery] = await list_deliveries(service, channel=channel, status=status)
    return delivery


async def subscribe_webhook(
    service: NotificationsUnderTest, receiver: WebhookReceiver, path: str, kinds: tuple[str, ...]
) -> dict[str, Any]:
    """An admin subscribes the receiver's `path`; the receiver learns the secret to verify with."""
    response = await service.client.post(
        "/v1/webhooks",
        json={"name": f"partner {path}", "url": receiver.url(path), "kinds": list(kinds)},
        headers=ADMIN,
    )
    assert response.status_code == 201, response.text
    subscription: dict[str, Any] = response.json()
    receiver.set_secret(path, subscription["secret"])
    return subscription


async def announcements_of(
    service: NotificationsUnderTest, delivery_id: str, event_type: str, count: int = 1
) -> list[EventEnvelope]:
    """The `event_type` events on notifications.events about the delivery, once there are `count`."""

    def about(events: list[EventEnvelope]) -> list[EventEnvelope]:
        return [e for e in events if e.event_type == event_type and e.data["delivery_id"] == delivery_id]

    events = await collect_events(
        service.settings.kafka_bootstrap_servers,
        service.topic(NOTIFICATIONS_EVENTS),
        until=lambda events: len(about(events)) >= count,
    )
    return about(events)


ANNA, BEN, CEM, DORA = "cw-anna", "lead-ben", "in-cem", "mgr-dora"
MAIL_OF = {
    ANNA: "anna@werkstatt.example",
    BEN: "ben@werkstatt.example",
    DORA: "dora@werkstatt.example",
}
ROLE_OF = {ANNA: "caseworker", BEN: "workshop_lead", CEM: "intake", DORA: "manager"}


async def put_directory(service: NotificationsUnderTest, **anna: Any) -> None:
    """Caseworker anna (English), workshop lead ben (German), intake cem (inbox only), manager
    dora; `anna` replaces fields of anna's entry (e.g. quiet_hours)."""
    await put_staff_member(
        service, ANNA, **{"email": MAIL_OF[ANNA], "roles": ["caseworker"], "language": "en", **anna}
    )
    await put_staff_member(service, BEN, email=MAIL_OF[BEN], roles=["workshop_lead"], language="de")
    await put_staff_member(service, CEM, roles=["intake"], channel="inbox", language="de")
    await put_staff_member(service, DORA, email=MAIL_OF[DORA], roles=["manager"])
