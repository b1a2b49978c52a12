"""The webhook channel: a delivery's stored JSON body, signed and posted to its subscriber."""

from __future__ import annotations

import time
import uuid

from notifications.adapters.webhook_sender import WebhookNotDelivered, WebhookSender
from notifications.application.ports import NotDelivered
from notifications.domain.delivery import Delivery


class WebhookCaller:
    def __init__(self, sender: WebhookSender) -> None:
        self._sender = sender

    async def call(self, delivery: Delivery, secret: str) -> None:
        try:
            await self._sender.send(
                delivery.recipient,
                secret,
                delivery.body.encode(),
                # Derived from event, kind and subscription: the same on every resend.
                idempotency_key=uuid.UUID(delivery.message_id),
                event_type=delivery.trigger.event_type,
                now=int(time.time()),
            )
        except WebhookNotDelivered as error:
            raise NotDelivered(str(error), permanent=error.permanent) from error
