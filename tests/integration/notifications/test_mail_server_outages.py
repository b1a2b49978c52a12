"""A mail server that is down: the delivery is retried and sent once it is up, or fails for good.

The staff directory is empty, so a placement mails the office (no workshop lead is known); its
second delivery waits for the caseworker's assignment and plays no part here.
"""

from __future__ import annotations

import logging

import asyncpg
import pytest

from tests.integration.notifications.conftest import SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    OFFICE,
    expected_message_id,
    list_deliveries,
    message_id,
    notifications_sent,
    placed,
    to_office,
    wait_for_deliveries,
)
from tests.support.service_app import eventually

pytestmark = pytest.mark.integration


async def test_a_mail_server_down_at_first_gets_the_mail_once_it_is_up(
    start_notifications: StartNotifications, stopped_smtp_server: SmtpServer
) -> None:
    envelope = placed()
    async with start_notifications(stopped_smtp_server, mail_max_attempts=100) as service:
        await service.publish_placement_event(envelope)

        async def retried_twice() -> bool:
            office = to_office(await list_deliveries(service))
            return bool(office) and office[0]["attempts"] >= 2

        await eventually(retried_twice, what="two failed SMTP attempts")
        [waiting] = to_office(await list_deliveries(service))
        assert waiting["status"] == "pending"
        assert waiting["sent_at"] is None
        assert waiting["last_error"]

        stopped_smtp_server.start()
        [mail] = await stopped_smtp_server.wait_for_mails(1)
        await wait_for_deliveries(service, 1, status="sent")
        [sent] = await list_deliveries(service, status="sent")
        [announced] = await notifications_sent(service, 1)

    assert message_id(mail) == expected_message_id(envelope, "placement", OFFICE)
    assert sent["delivery_id"] == waiting["delivery_id"]
    assert sent["attempts"] > waiting["attempts"]
    assert sent["last_error"]  # the failures before the success stay visible
    assert announced.data["trigger_event_id"] == str(envelope.event_id)
    assert announced.data["delivery_id"] == sent["delivery_id"]
    assert len(stopped_smtp_server.mails) == 1


async def test_a_mail_server_that_stays_down_fails_the_delivery_after_the_last_attempt(
    start_notifications: StartNotifications,
    stopped_smtp_server: SmtpServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    envelope = placed()
    caplog.set_level(logging.ERROR, logger="notifications")
    async with start_notifications(stopped_smtp_server, mail_max_attempts=3) as service:
        await service.publish_placement_event(envelope)
        await wait_for_deliveries(service, 1, status="failed")
        [failed] = await list_deliveries(service, status="failed")
        [awaiting] = await list_deliveries(service, status="awaiting_recipient")
        [announced] = await notifications_sent(service, 1)
        database_url = service.settings.database_url

    assert failed["recipient_kind"] == "office"
    assert (failed["attempts"], failed["sent_at"], failed["permanent_failure"]) == (3, None, False)
    assert failed["last_error"]
    assert awaiting["attempts"] == 0  # still waiting for the caseworker: never tried
    assert any(
        record.levelno == logging.ERROR and record.getMessage() == "notification failed for good"
        for record in caplog.records
    )
    # The failure is announced (for admins to retry), and nothing is announced as sent.
    assert announced.event_type == "NotificationFailed"
    assert announced.data["delivery_id"] == failed["delivery_id"]
    assert announced.data["trigger_event_id"] == str(envelope.event_id)
    assert (announced.data["attempts"], announced.data["permanent"]) == (3, False)
    connection = await asyncpg.connect(database_url)
    try:
        assert (
            await connection.fetchval("SELECT count(*) FROM outbox WHERE event_type = 'NotificationSent'")
            == 0
        )
    finally:
        await connection.close()
