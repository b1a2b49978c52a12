"""The mailer keeps its SMTP connections between mails, against a real SMTP server (aiosmtpd): a
burst shares one connection, and a connection that went away is replaced without losing or
doubling a mail."""

from __future__ import annotations

import dataclasses

import pytest

from notifications.adapters import smtp_mailer
from notifications.adapters.smtp_mailer import SmtpMailer
from notifications.application.ports import NotDelivered
from notifications.domain.delivery import Delivery
from notifications.settings import NotificationsSettings
from tests.integration.notifications.conftest import MAIL_FROM, SmtpServer
from tests.integration.notifications.helpers import message_id
from tests.unit.notifications.test_delivery_lifecycle import pending_delivery

pytestmark = pytest.mark.integration


def mailer_for(smtp: SmtpServer) -> SmtpMailer:
    return SmtpMailer(
        NotificationsSettings(
            database_url="postgresql://unused/unused",
            kafka_bootstrap_servers="unused:9092",
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            smtp_timeout_s=5.0,
            mail_from=MAIL_FROM,
        )
    )


def delivery_to(recipient: str) -> Delivery:
    return dataclasses.replace(pending_delivery(), recipient=recipient, sender=MAIL_FROM)


async def test_a_burst_of_mails_shares_one_connection(smtp_server: SmtpServer) -> None:
    mailer = mailer_for(smtp_server)
    sent = [delivery_to("office@werkstatt.example") for _ in range(5)]
    for delivery in sent:
        await mailer.send(delivery)
    await mailer.close()

    mails = await smtp_server.wait_for_mails(5)
    assert [message_id(mail) for mail in mails] == [delivery.message_id for delivery in sent]
    assert smtp_server.connections_used == 1


async def test_a_connection_the_server_dropped_is_replaced_and_the_mail_sent_once(
    smtp_server: SmtpServer,
) -> None:
    mailer = mailer_for(smtp_server)
    before, after = delivery_to("office@werkstatt.example"), delivery_to("office@werkstatt.example")
    await mailer.send(before)
    smtp_server.stop()  # drops the connection the mailer keeps
    smtp_server.start()
    await mailer.send(after)
    await mailer.close()

    mails = await smtp_server.wait_for_mails(2)
    assert [message_id(mail) for mail in mails] == [before.message_id, after.message_id]
    assert smtp_server.connections_used == 2


async def test_a_connection_idle_for_too_long_is_not_reused(
    smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(smtp_mailer, "KEEP_IDLE_S", 0.0)
    mailer = mailer_for(smtp_server)
    for _ in range(3):
        await mailer.send(delivery_to("office@werkstatt.example"))
    await mailer.close()

    await smtp_server.wait_for_mails(3)
    assert smtp_server.connections_used == 3


async def test_after_a_refused_recipient_the_next_mail_still_goes_out(smtp_server: SmtpServer) -> None:
    smtp_server.refuse("nobody@werkstatt.example")
    mailer = mailer_for(smtp_server)
    with pytest.raises(NotDelivered) as refused:
        await mailer.send(delivery_to("nobody@werkstatt.example"))
    assert refused.value.permanent
    delivered = delivery_to("office@werkstatt.example")
    await mailer.send(delivered)
    await mailer.close()

    [mail] = await smtp_server.wait_for_mails(1)
    assert message_id(mail) == delivered.message_id
