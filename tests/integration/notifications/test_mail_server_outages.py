"""A mail server that is down: the delivery is retried and sent once it is up, or fails for good."""

from __future__ import annotations

import logging

import asyncpg
import pytest

from tests.integration.notifications.conftest import SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    expected_message_id,
    list_deliveries,
    message_id,
    notifications_sent,
    placed,
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
            deliveries = await list_deliveries(service)
            return bool(deliveries) and deliveries[0]["attempts"] >= 2

        await eventually(retried_twice, what="two failed SMTP attempts")
        [waiting] = await list_deliveries(service)
        assert waiting["status"] == "pending"
        assert waiting["sent_at"] is None
        assert waiting["last_error"]

        stopped_smtp_server.start()
        [mail] = await stopped_smtp_server.wait_for_mails(1)
        [sent] = await wait_for_deliveries(service, 1, status="sent")
        [announced] = await notifications_sent(service, 1)

    assert message_id(mail) == expected_message_id(envelope)
    assert sent["attempts"] > waiting["attempts"]
    assert sent["last_error"]  # the failures before the success stay visible
    assert announced.data["trigger_event_id"] == str(envelope.event_id)
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
        [failed] = await wait_for_deliveries(service, 1, status="failed")
        database_url = service.settings.database_url

    assert failed["attempts"] == 3
    assert failed["sent_at"] is None
    assert failed["last_error"]
    assert any(
        record.levelno == logging.ERROR and record.getMessage() == "mail delivery failed for good"
        for record in caplog.records
    )
    connection = await asyncpg.connect(database_url)
    try:
        assert await connection.fetchval("SELECT count(*) FROM outbox") == 0  # nothing was announced
    finally:
        await connection.close()
