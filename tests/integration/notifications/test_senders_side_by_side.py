"""A burst of deliveries is sent side by side (`MAIL_SENDERS`), each exactly once: the mail
server below holds every "250" until it has several mails in hand at once, which only concurrent
senders can give it."""

from __future__ import annotations

import asyncio

import pytest

from tests.integration.notifications.conftest import SmtpServer, StartNotifications
from tests.integration.notifications.helpers import message_id, placed, wait_for_deliveries

pytestmark = pytest.mark.integration

SENDERS = 3
BURST = 6


async def test_a_burst_of_mails_is_sent_side_by_side_each_once(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    in_hand = 0
    most_in_hand = 0

    async def hold_until_others_arrive() -> None:
        nonlocal in_hand, most_in_hand
        in_hand += 1
        most_in_hand = max(most_in_hand, in_hand)
        try:
            for _ in range(100):  # up to 2 s: one sender alone would wait here every time
                if in_hand >= SENDERS:
                    break
                await asyncio.sleep(0.02)
        finally:
            in_hand -= 1

    smtp_server.before_accepting(hold_until_others_arrive)
    async with start_notifications(smtp_server, mail_senders=SENDERS) as service:
        for _ in range(BURST):
            await service.publish_placement_event(placed())
        mails = await smtp_server.wait_for_mails(BURST)
        await wait_for_deliveries(service, BURST, status="sent")

    assert most_in_hand == SENDERS  # never more than the setting allows, and that many at once
    assert len({message_id(mail) for mail in mails}) == BURST == len(smtp_server.mails)
