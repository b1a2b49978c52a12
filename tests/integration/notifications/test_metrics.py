"""notifications' /metrics also shows its mail deliveries by status."""

from __future__ import annotations

import pytest

from tests.integration.notifications.conftest import SmtpServer, StartNotifications
from tests.integration.notifications.helpers import placed, wait_for_deliveries, waitlisted
from tests.support.metrics import scrape, value

pytestmark = pytest.mark.integration


async def test_deliveries_by_status_are_on_the_metrics(
    start_notifications: StartNotifications, stopped_smtp_server: SmtpServer
) -> None:
    # Empty directory: the placement mails the office and keeps a delivery awaiting the caseworker;
    # the waitlisting mails the office.
    async with start_notifications(stopped_smtp_server, mail_max_attempts=1) as service:
        await service.publish_placement_event(placed())
        await wait_for_deliveries(service, 1, status="failed")
        stopped_smtp_server.start()
        await service.publish_placement_event(waitlisted())
        await wait_for_deliveries(service, 1, status="sent")

        samples = await scrape(service.client)
        assert value(samples, "werkstattnetz_notification_deliveries", status="failed") == 1
        assert value(samples, "werkstattnetz_notification_deliveries", status="sent") == 1
        assert value(samples, "werkstattnetz_notification_deliveries", status="awaiting_recipient") == 1
        assert value(samples, "werkstattnetz_notification_deliveries", status="pending") == 0
        assert value(samples, "werkstattnetz_background_task_up", task="delivery-dispatcher") == 1
