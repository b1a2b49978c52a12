"""Each placement, waitlisting and integration mails each recipient exactly once and is announced
on Kafka: under redelivery of the event, and with two replicas sharing the work.

The staff directory is empty here, so every rule finds nobody and the office (STAFF_EMAIL) is
told; a placement's rule for the responsible caseworker first waits for intake's assignment and
then, after CASEWORKER_WAIT_S, also ends at the office — which has the placement already, so that
second delivery is cancelled instead of mailing the office twice.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration.notifications.conftest import MAIL_FROM, STAFF_EMAIL, SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    OFFICE,
    expected_message_id,
    integrated,
    list_deliveries,
    message_id,
    notifications_sent,
    of_trigger,
    placed,
    text_of,
    to_office,
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
    async with start_notifications(smtp_server, caseworker_wait_s=1.0) as service:
        await service.publish_placement_event(placement)
        await service.publish_placement_event(waitlisting)
        await service.publish_outcomes_event(integration)

        await smtp_server.wait_for_mails(3)
        await wait_for_deliveries(service, 3, status="sent")
        # The placement's delivery for the caseworker waited in vain and found the office told.
        await wait_for_deliveries(service, 1, status="cancelled")
        await asyncio.sleep(1.0)  # room for a wrong second office mail to show up
        deliveries = await list_deliveries(service)
        announced = await notifications_sent(service, 3)

    by_message_id = {message_id(mail): mail for mail in smtp_server.mails}
    assert len(smtp_server.mails) == len(by_message_id) == 3
    expectations = [
        (placement, "[werkstattnetz] Platzierung – Fahrrad und Metall", "placement"),
        (waitlisting, "[werkstattnetz] Warteliste – Betreuung und Pflege", "waitlisting"),
        (integration, "[werkstattnetz] Integration erreicht – Ausbildung", "integration"),
    ]
    for envelope, subject, kind in expectations:
        mail = by_message_id[expected_message_id(envelope, kind, OFFICE)]
        assert mail["Subject"] == subject
        assert mail["To"] == STAFF_EMAIL
        assert mail["From"] == MAIL_FROM
        assert mail["Content-Language"] == "de"  # the office reads German
        body = text_of(mail)
        assert f"Teilnehmende:r (pseudonyme ID): {envelope.participant_id}" in body
        assert f"/participants/{envelope.participant_id}" in body
        # The coarse facts the mail must not carry: waitlist position, funder, seat source.
        assert "position" not in body.lower()
        assert "jobcenter" not in body.lower()
        assert "warteplatz" not in body.lower()

        [delivery] = to_office(of_trigger(deliveries, envelope))
        assert delivery["participant_id"] == str(envelope.participant_id)
        assert delivery["notification_kind"] == kind
        assert delivery["trigger_event_type"] == envelope.event_type
        assert (delivery["recipient"], delivery["recipient_subject"]) == (STAFF_EMAIL, None)
        assert (delivery["channel"], delivery["language"]) == ("email", "de")
        assert delivery["subject"] == subject
        assert (delivery["status"], delivery["attempts"], delivery["last_error"]) == ("sent", 1, None)
        assert delivery["sent_at"] is not None

        [event] = [e for e in announced if e.data["trigger_event_id"] == str(envelope.event_id)]
        assert_announces(event, envelope, kind, delivery["delivery_id"])
    assert len(announced) == 3

    # One row per (event, recipient): the placement's second row, cancelled, still shows it waited
    # for a staff member (its key cannot become the office's: that one exists).
    [cancelled] = [d for d in of_trigger(deliveries, placement) if d["status"] == "cancelled"]
    assert (cancelled["recipient_kind"], cancelled["recipient"]) == ("staff", "")
    assert (cancelled["attempts"], cancelled["sent_at"]) == (0, None)
    assert cancelled["last_error"] == "the recipient was told through another rule"
    assert len(deliveries) == 4


def assert_announces(event: EventEnvelope, trigger: EventEnvelope, kind: str, delivery_id: str) -> None:
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
        "delivery_id": delivery_id,
        "recipient_kind": "office",
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
    assert message_ids == sorted(
        expected_message_id(envelope, "placement", OFFICE) for envelope in (first, marker)
    )
    # Per event: one row for the office (sent), one awaiting the caseworker; nothing doubled.
    for envelope in (first, marker):
        rows = of_trigger(deliveries, envelope)
        assert sorted((d["recipient_kind"], d["status"]) for d in rows) == [
            ("office", "sent"),
            ("staff", "awaiting_recipient"),
        ]
    assert len(deliveries) == 4
    assert len(announced) == 2


async def test_two_replicas_send_each_mail_once(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    """Both replicas consume (one group) and both dispatch from the same table: the locks let
    exactly one of them send each delivery, and exactly one readdress each waiting one."""
    events = [placed(uuid.uuid4()) for _ in range(6)] + [waitlisted() for _ in range(6)]
    async with (
        start_notifications(smtp_server, caseworker_wait_s=0.5) as first,
        start_notifications(smtp_server, replica_of=first) as second,
    ):
        for index, envelope in enumerate(events):
            await (first if index % 2 else second).publish_placement_event(envelope)
        await smtp_server.wait_for_mails(len(events))
        await wait_for_deliveries(first, len(events), status="sent")
        await wait_for_deliveries(second, 6, status="cancelled")  # each placement's waiting one
        await asyncio.sleep(1.5)  # room for a wrong second mail to show up
        deliveries = await list_deliveries(first)
        announced = await notifications_sent(first, len(events))

    assert sorted(message_id(mail) for mail in smtp_server.mails) == sorted(
        expected_message_id(envelope, kind_of(envelope), OFFICE) for envelope in events
    )
    assert len(deliveries) == 6 * 2 + 6
    assert sorted(d["status"] for d in deliveries) == ["cancelled"] * 6 + ["sent"] * 12
    assert len({e.data["delivery_id"] for e in announced}) == len(announced) == len(events)


def kind_of(envelope: EventEnvelope) -> str:
    return "placement" if envelope.event_type == "ParticipantPlaced" else "waitlisting"


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
    assert message_id(mail) == expected_message_id(today, "integration", OFFICE)
    assert len(smtp_server.mails) == 1
    assert [d["trigger_event_id"] for d in deliveries] == [str(today.event_id)]
