"""Webhooks to a real partner endpoint: signed, one call per event, retried while the partner is
down, given up at once when it refuses for good, and sent again when an admin says so."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from notifications.domain.webhook_signature import idempotency_key
from tests.integration.notifications.conftest import STAFF_EMAIL, SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    CASEWORKER,
    announcements_of,
    list_deliveries,
    subscribe_webhook,
    wait_for_delivery,
)
from tests.support.tokens import auth_header
from tests.support.webhook_receiver import WebhookReceiver
from werkstattnetz_shared.events import EventEnvelope, ParticipantPlaced
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

# A named admin: the delivery log must say who retried.
RETRYING_ADMIN_SUBJECT = "delivery-admin"
RETRYING_ADMIN = auth_header("admin", subject=RETRYING_ADMIN_SUBJECT)

PATH = "/hooks/partner"
WORKSHOP_LEAD = "lead.person.subject"
BODY_FIELDS = {
    "notification_id",
    "kind",
    "event_id",
    "event_type",
    "participant_id",
    "link",
    "facts",
    "recorded_at",
}
NON_PERSONAL_FACTS = {"work_area", "workshop_id", "placed_on"}


def placed(participant_id: uuid.UUID | None = None) -> EventEnvelope:
    return EventEnvelope.wrap(
        ParticipantPlaced(
            work_area=WorkArea.BIKE_METAL,
            placed_on=dt.date(2026, 11, 24),
            from_waitlist=False,
            workshop_id=uuid.uuid4(),
            workshop_lead=WORKSHOP_LEAD,
        ),
        producer="placement",
        participant_id=participant_id or uuid.uuid4(),
    )


def expected_idempotency_key(trigger: EventEnvelope, subscription_id: str, kind: str = "placement") -> str:
    """One key per event, subscription and kind: the same on every attempt."""
    return str(uuid.uuid5(idempotency_key(trigger.event_id, uuid.UUID(subscription_id)), kind))


async def test_a_placement_is_posted_once_signed_and_without_personal_data(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    envelope = placed()
    async with WebhookReceiver() as receiver, start_notifications(smtp_server) as service:
        subscription = await subscribe_webhook(service, receiver, PATH, ("placement",))
        await service.publish_placement_event(envelope)
        [call] = await receiver.wait_for_calls(PATH, 1)
        sent = await wait_for_delivery(service, "webhook", "sent")
        [announced] = await announcements_of(service, str(sent["delivery_id"]), "NotificationSent")

        # The same envelope again (Kafka redelivers), then a later event of the same participant
        # on the same partition: once that one is called, the duplicate has been consumed.
        await service.publish_placement_event(envelope)
        later = placed(envelope.participant_id)
        await service.publish_placement_event(later)
        await receiver.wait_for_calls(PATH, 2)

    key = expected_idempotency_key(envelope, subscription["subscription_id"])
    assert call.signature_verified is True, call.rejection_reason
    assert abs(int(call.header("Werkstattnetz-Timestamp") or 0) - call.received_at) <= 60
    assert call.idempotency_key == key
    assert call.header("Werkstattnetz-Event") == "ParticipantPlaced"
    body = call.json()
    assert set(body) == BODY_FIELDS
    assert body["notification_id"] == key
    assert body["participant_id"] == str(envelope.participant_id)
    assert body["kind"] == "placement"
    assert body["event_id"] == str(envelope.event_id)
    assert body["link"].endswith(f"/participants/{envelope.participant_id}")
    assert set(body["facts"]) <= NON_PERSONAL_FACTS
    # Nobody's name or address: neither the workshop lead's subject nor the office address.
    assert WORKSHOP_LEAD not in call.body.decode()
    assert STAFF_EMAIL not in call.body.decode()

    assert sent["attempts"] == 1
    assert sent["recipient_kind"] == "webhook"
    assert sent["recipient"] == receiver.url(PATH)
    assert announced.data["channel"] == "webhook"
    assert announced.data["trigger_event_id"] == str(envelope.event_id)

    calls = receiver.calls(PATH)
    assert [c.idempotency_key for c in calls] == [
        key,
        expected_idempotency_key(later, subscription["subscription_id"]),
    ]
    assert receiver.distinct_idempotency_keys(PATH) == {c.idempotency_key for c in calls}


async def test_a_partner_down_for_two_calls_gets_the_same_call_a_third_time_after_backing_off(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    envelope = placed()
    async with WebhookReceiver() as receiver, start_notifications(smtp_server) as service:
        subscription = await subscribe_webhook(service, receiver, PATH, ("placement",))
        receiver.fail_next(2, status=503)
        await service.publish_placement_event(envelope)
        sent = await wait_for_delivery(service, "webhook", "sent")
        calls = await receiver.wait_for_calls(PATH, 3)
        [announced] = await announcements_of(service, str(sent["delivery_id"]), "NotificationSent")

    assert sent["attempts"] == 3
    assert "503" in (sent["last_error"] or "")  # the failures before the success stay visible
    assert [c.answered_status for c in calls] == [503, 503, 200]
    assert {c.idempotency_key for c in calls} == {
        expected_idempotency_key(envelope, subscription["subscription_id"])
    }
    assert len({c.body for c in calls}) == 1
    assert all(c.signature_verified for c in calls)
    # Backoff as configured by the fixture: 0.2 s after the first failure, then doubled (0.4 s).
    # Counted from the start of the failed attempt, so a gap between arrivals can fall short of
    # it by the call's own latency; 0.3 s still tells a doubled wait from an undoubled one.
    first_gap = calls[1].received_at - calls[0].received_at
    second_gap = calls[2].received_at - calls[1].received_at
    assert first_gap >= 0.15, (first_gap, second_gap)
    assert second_gap >= 0.3, (first_gap, second_gap)
    assert announced.data["channel"] == "webhook"


async def test_a_partner_refusing_the_call_fails_it_at_once_and_an_admin_can_send_it_again(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    envelope = placed()
    async with WebhookReceiver() as receiver, start_notifications(smtp_server) as service:
        subscription = await subscribe_webhook(service, receiver, PATH, ("placement",))
        receiver.reject_always(400)
        await service.publish_placement_event(envelope)
        failed = await wait_for_delivery(service, "webhook", "failed")
        delivery_id = str(failed["delivery_id"])
        [announced] = await announcements_of(service, delivery_id, "NotificationFailed")
        calls_while_refused = len(receiver.calls(PATH))

        retried_by_a_caseworker = await service.client.post(
            f"/v1/deliveries/{delivery_id}/retry", headers=CASEWORKER
        )
        receiver.behave()
        retried = await service.client.post(f"/v1/deliveries/{delivery_id}/retry", headers=RETRYING_ADMIN)
        sent = await wait_for_delivery(service, "webhook", "sent")
        [sent_announcement] = await announcements_of(service, delivery_id, "NotificationSent")
        retried_again = await service.client.post(
            f"/v1/deliveries/{delivery_id}/retry", headers=RETRYING_ADMIN
        )
        unknown = await service.client.post(f"/v1/deliveries/{uuid.uuid4()}/retry", headers=RETRYING_ADMIN)
        [after_all] = await list_deliveries(service, channel="webhook")

    assert failed["attempts"] == 1
    assert failed["permanent_failure"] is True
    assert "400" in (failed["last_error"] or "")
    assert calls_while_refused == 1
    assert announced.data["channel"] == "webhook"
    assert announced.data["permanent"] is True
    assert announced.data["attempts"] == 1
    assert announced.data["recipient_kind"] == "webhook"

    assert retried_by_a_caseworker.status_code == 403
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "pending"
    assert retried.json()["retried_by"] == RETRYING_ADMIN_SUBJECT
    assert sent["attempts"] == 2
    assert sent_announcement.data["delivery_id"] == delivery_id
    key = expected_idempotency_key(envelope, subscription["subscription_id"])
    assert [c.answered_status for c in receiver.calls(PATH)] == [400, 200]
    assert receiver.distinct_idempotency_keys(PATH) == {key}

    assert retried_again.status_code == 409
    assert retried_again.json()["error"]["code"] == "delivery_must_have_failed"
    assert unknown.status_code == 404
    assert after_all["status"] == "sent"
    assert after_all["attempts"] == 2
    assert receiver.url(PATH) not in str(announced.data)  # names no address: a URL may carry a token
