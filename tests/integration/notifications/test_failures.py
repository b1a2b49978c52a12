"""Deliveries that cannot be made: refused for good (fail at once), a channel down for longer than
the attempts last (fail after the last one, an admin retries), a partner unsubscribed meanwhile."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.notifications.conftest import SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    ADMIN,
    announcements_of,
    list_deliveries,
    placed,
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

KNOWN_ADDRESS = "lead.known@werkstatt.example"
UNKNOWN_ADDRESS = "lead.gone@werkstatt.example"


def placed_in_workshop_of(lead: str) -> EventEnvelope:
    return EventEnvelope.wrap(
        ParticipantPlaced(
            work_area=WorkArea.CARE, placed_on=dt.date(2026, 11, 24), from_waitlist=False, workshop_lead=lead
        ),
        producer="placement",
        participant_id=uuid.uuid4(),
    )


async def test_a_recipient_the_mail_server_refuses_fails_at_once_while_others_get_their_mail(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    smtp_server.refuse(UNKNOWN_ADDRESS, "550 5.1.1 no such user")
    async with start_notifications(smtp_server, mail_max_attempts=5) as service:
        for subject, address in (("lead-known", KNOWN_ADDRESS), ("lead-gone", UNKNOWN_ADDRESS)):
            response = await service.client.put(
                f"/v1/staff/{subject}", json={"email": address}, headers=ADMIN
            )
            assert response.status_code in {200, 201}, response.text
        refused = placed_in_workshop_of("lead-gone")
        accepted = placed_in_workshop_of("lead-known")
        await service.publish_placement_event(refused)
        await service.publish_placement_event(accepted)

        failed = await wait_for_delivery(service, "email", "failed")
        sent = await wait_for_delivery(service, "email", "sent")
        [announced] = await announcements_of(service, str(failed["delivery_id"]), "NotificationFailed")

    assert failed["recipient"] == UNKNOWN_ADDRESS
    assert failed["trigger_event_id"] == str(refused.event_id)
    assert failed["attempts"] == 1  # 5 were allowed: a permanent refusal is not tried again
    assert failed["permanent_failure"] is True
    assert "550" in (failed["last_error"] or "")
    assert sent["recipient"] == KNOWN_ADDRESS
    [mail] = smtp_server.mails
    assert mail["To"] == KNOWN_ADDRESS
    assert announced.data["channel"] == "email"
    assert announced.data["permanent"] is True
    assert announced.data["attempts"] == 1
    assert announced.data["recipient_kind"] == "staff"
    assert UNKNOWN_ADDRESS not in str(announced.data)  # the event names no address


async def test_a_mail_server_down_for_every_attempt_fails_the_delivery_and_an_admin_retries_it(
    start_notifications: StartNotifications, stopped_smtp_server: SmtpServer
) -> None:
    envelope = placed()
    async with start_notifications(stopped_smtp_server, mail_max_attempts=2) as service:
        await service.publish_placement_event(envelope)
        failed = await wait_for_delivery(service, "email", "failed")
        delivery_id = str(failed["delivery_id"])
        [announced] = await announcements_of(service, delivery_id, "NotificationFailed")

        stopped_smtp_server.start()
        retried = await service.client.post(f"/v1/deliveries/{delivery_id}/retry", headers=RETRYING_ADMIN)
        [mail] = await stopped_smtp_server.wait_for_mails(1)
        sent = await wait_for_delivery(service, "email", "sent")
        [sent_announcement] = await announcements_of(service, delivery_id, "NotificationSent")

    assert failed["attempts"] == 2
    assert failed["permanent_failure"] is False
    assert failed["sent_at"] is None
    assert announced.data["permanent"] is False
    assert announced.data["attempts"] == 2
    assert announced.data["channel"] == "email"
    assert retried.status_code == 200, retried.text
    assert sent["delivery_id"] == failed["delivery_id"]
    assert sent["attempts"] == 3
    assert sent["retried_by"] == RETRYING_ADMIN_SUBJECT
    assert sent_announcement.data["trigger_event_id"] == str(envelope.event_id)
    assert len(stopped_smtp_server.mails) == 1
    assert mail["Message-ID"]


async def test_a_webhook_whose_subscription_was_deleted_meanwhile_fails_for_good(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    path = "/hooks/leaving-partner"
    async with (
        WebhookReceiver() as receiver,
        start_notifications(smtp_server, webhook_timeout_s=1.0, mail_max_attempts=5) as service,
    ):
        subscription = await subscribe_webhook(service, receiver, path, ("placement",))
        # The first call hangs past the sender's timeout (a transient failure); while it hangs,
        # the partner is unsubscribed, so the next attempt finds no subscription.
        receiver.respond_slowly(5.0)
        await service.publish_placement_event(placed())
        await receiver.wait_for_calls(path, 1)
        deleted = await service.client.delete(
            f"/v1/webhooks/{subscription['subscription_id']}", headers=ADMIN
        )
        receiver.behave()
        failed = await wait_for_delivery(service, "webhook", "failed")
        [announced] = await announcements_of(service, str(failed["delivery_id"]), "NotificationFailed")
        [webhook_delivery] = await list_deliveries(service, channel="webhook")

    assert deleted.status_code == 204, deleted.text
    assert failed["attempts"] == 2
    assert failed["permanent_failure"] is True
    assert "deleted" in (failed["last_error"] or "")
    assert webhook_delivery["status"] == "failed"
    assert len(receiver.calls(path)) == 1  # nothing was posted after the subscription was gone
    assert announced.data["permanent"] is True
    assert announced.data["channel"] == "webhook"
