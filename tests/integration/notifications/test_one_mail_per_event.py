"""Each placement, waitlisting and integration mails staff exactly once and is announced on Kafka."""

from __future__ import annotations

import asyncio

import pytest

from tests.integration.notifications.conftest import MAIL_FROM, STAFF_EMAIL, SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    expected_message_id,
    integrated,
    list_deliveries,
    message_id,
    notifications_sent,
    placed,
    wait_for_deliveries,
    waitlisted,
)
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration


async def test_each_notified_event_sends_one_mail_and_one_notification_sent(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    placement, waitlisting, integration = placed(), waitlisted(), integrated()
    async with start_notifications(smtp_server) as service:
        await service.publish_placement_event(placement)
        await service.publish_placement_event(waitlisting)
        await service.publish_outcomes_event(integration)

        mails = await smtp_server.wait_for_mails(3)
        deliveries = await wait_for_deliveries(service, 3, status="sent")
        announced = await notifications_sent(service, 3)

    by_trigger = {message_id(mail): mail for mail in mails}
    assert len(mails) == len(by_trigger) == 3
    expectations = [
        (placement, "[werkstattnetz] Placement in Fahrrad und Metall (bike_metal)", "placement"),
        (waitlisting, "[werkstattnetz] Waitlisted for Betreuung und Pflege (care)", "waitlisting"),
        (integration, "[werkstattnetz] Integration achieved: Ausbildung (apprenticeship)", "integration"),
    ]
    for envelope, subject, kind in expectations:
        mail = by_trigger[expected_message_id(envelope)]
        assert mail["Subject"] == subject
        assert mail["To"] == STAFF_EMAIL
        assert mail["From"] == MAIL_FROM
        body = mail.get_content()
        assert f"Participant id: {envelope.participant_id}" in body
        # The coarse facts the mail must not carry: waitlist position, funder, seat source.
        assert "position" not in body.lower()
        assert "jobcenter" not in body.lower()
        assert "waitlist: " not in body.lower()

        [delivery] = [d for d in deliveries if d["trigger_event_id"] == str(envelope.event_id)]
        assert delivery["participant_id"] == str(envelope.participant_id)
        assert delivery["notification_kind"] == kind
        assert delivery["trigger_event_type"] == envelope.event_type
        assert delivery["recipient"] == STAFF_EMAIL
        assert delivery["subject"] == subject
        assert (delivery["status"], delivery["attempts"], delivery["last_error"]) == ("sent", 1, None)
        assert delivery["sent_at"] is not None

        [event] = [e for e in announced if e.data["trigger_event_id"] == str(envelope.event_id)]
        assert_announces(event, envelope, kind)
    assert len(announced) == 3


def assert_announces(event: EventEnvelope, trigger: EventEnvelope, kind: str) -> None:
    assert event.event_type == "NotificationSent"
    assert event.producer == "notifications"
    assert event.participant_id == trigger.participant_id
    assert event.correlation_id == trigger.correlation_id
    assert event.causation_id == trigger.event_id
    assert event.data == {
        "notification_kind": kind,
        "channel": "email",
        "trigger_event_id": str(trigger.event_id),
        "trigger_event_type": trigger.event_type,
    }


async def test_an_event_delivered_twice_still_sends_one_mail(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    first = placed()
    # Same participant and topic, so the same partition: once the marker's mail arrived, every
    # duplicate published before it has been handled.
    marker = placed(first.participant_id, area=WorkArea.CARE)
    async with start_notifications(smtp_server) as service:
        await service.publish_placement_event(first)
        await service.publish_placement_event(first)
        await smtp_server.wait_for_mails(1)
        await service.publish_placement_event(first)
        await service.publish_placement_event(marker)
        await smtp_server.wait_for_mails(2)
        await wait_for_deliveries(service, 2, status="sent")
        await asyncio.sleep(1.0)  # room for a wrong second mail to show up
        deliveries = await list_deliveries(service)
        announced = await notifications_sent(service, 2)

    message_ids = sorted(message_id(mail) for mail in smtp_server.mails)
    assert message_ids == sorted(expected_message_id(envelope) for envelope in (first, marker))
    assert sorted(d["trigger_event_id"] for d in deliveries) == sorted(
        str(envelope.event_id) for envelope in (first, marker)
    )
    assert len(announced) == 2


async def test_an_integration_from_an_imported_history_mails_nobody(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    """Importing years of history must not flood staff with mails about long-past exits."""
    history = integrated(imported=True)
    today = integrated(history.participant_id)  # same key, same partition: handled after the history
    async with start_notifications(smtp_server) as service:
        await service.publish_outcomes_event(history)
        await service.publish_outcomes_event(today)
        [mail] = await smtp_server.wait_for_mails(1)
        await asyncio.sleep(1.5)  # a second mail would arrive in this window
        deliveries = await list_deliveries(service)
    assert message_id(mail) == expected_message_id(today)
    assert len(smtp_server.mails) == 1
    assert [d["trigger_event_id"] for d in deliveries] == [str(today.event_id)]
