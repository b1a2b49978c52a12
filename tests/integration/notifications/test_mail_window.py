"""The database goes away while the mail server is accepting a mail: the mail is not sent twice.

The dispatcher's "sent" cannot commit then; it remembers that the server accepted the mail and,
once the database is back, only records it. (Only a crash of the process itself in that moment
resends the mail — with the same Message-ID; see the README's guarantees.)
"""

from __future__ import annotations

from urllib.parse import urlparse

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
    wait_for_deliveries,
)
from werkstattnetz_devstack.testing import PostgresForTests

pytestmark = pytest.mark.integration


async def test_a_database_outage_during_the_smtp_conversation_sends_one_mail(
    start_notifications: StartNotifications, smtp_server: SmtpServer, postgres_server: PostgresForTests
) -> None:
    async with start_notifications(smtp_server) as service:
        database = urlparse(service.settings.database_url).path.lstrip("/")
        cut = 0

        async def cut_the_services_database_sessions() -> None:
            nonlocal cut
            if cut:
                return
            cut += 1
            admin = await asyncpg.connect(postgres_server.admin_dsn)
            try:
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", database
                )
            finally:
                await admin.close()

        smtp_server.before_accepting(cut_the_services_database_sessions)
        envelope = placed()  # empty directory: one mail to the office, one delivery awaiting the caseworker
        await service.publish_placement_event(envelope)
        await wait_for_deliveries(service, 1, status="sent")
        [sent] = await list_deliveries(service, status="sent")
        [announced] = await notifications_sent(service, 1)

    assert cut == 1, "the database was never cut during a mail"
    [mail] = smtp_server.mails
    assert message_id(mail) == expected_message_id(envelope, "placement", OFFICE)
    assert sent["attempts"] == 1
    assert announced.data["delivery_id"] == sent["delivery_id"]
