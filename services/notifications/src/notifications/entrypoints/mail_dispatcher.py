"""The delivery dispatcher: a background loop that sends recorded deliveries when they are due.

It is woken by LISTEN/NOTIFY when a delivery is recorded and also wakes by itself (every poll
interval, or when a retry, a reminder or a quiet-hours end falls due), so a missed notification
only delays a message. Several replicas may run it at once: each delivery is locked by the one
sending it and skipped by the others. Database outages only pause it, like the outbox relay;
anything else is a bug, left to the service's supervision to log and restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import time
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg

from notifications.adapters.delivery_repository import DELIVERIES_CHANNEL
from notifications.application.digests import send_due_digests
from notifications.application.recording import Recording
from notifications.application.sending import Channels, send_next_due_delivery
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.delivery import RetryPolicy
from werkstattnetz_shared.db.pool import reset_on_release
from werkstattnetz_shared.faults import run_through_outages

log = logging.getLogger(__name__)


class DeliveryDispatcher:
    def __init__(
        self,
        pool: asyncpg.Pool,
        unit_of_work: Callable[[], NotificationsUnitOfWork],
        channels: Channels,
        policy: RetryPolicy,
        recording: Recording,
        *,
        poll_interval_s: float = 1.0,
        max_outage_backoff_s: float = 15.0,
        senders: int = 1,
    ) -> None:
        self._pool = pool
        self._unit_of_work = unit_of_work
        self._channels = channels
        self._policy = policy
        self._recording = recording
        self._poll_interval_s = poll_interval_s
        self._max_outage_backoff_s = max_outage_backoff_s
        self._senders = senders
        self._digests_looked_at = -math.inf
        self._wakeup = asyncio.Event()
        # Deliveries accepted by the other side whose "sent" did not commit (see sending.py).
        self._accepted_but_unrecorded: set[uuid.UUID] = set()

    async def run(self) -> None:
        """Run until cancelled; infrastructure failures only pause it."""
        await run_through_outages(
            self._listen_and_send, what="delivery dispatcher", max_backoff_s=self._max_outage_backoff_s
        )

    async def _listen_and_send(self) -> None:
        async with self._pool.acquire() as listener:
            reset_on_release(listener)  # LISTEN
            await listener.add_listener(DELIVERIES_CHANNEL, self._on_notify)
            try:
                while True:
                    await self._bundle_digests_now_and_then()
                    await self.send_due()
                    await self._wait_for_work()
            finally:
                with contextlib.suppress(Exception):
                    await listener.remove_listener(DELIVERIES_CHANNEL, self._on_notify)

    async def send_due(self) -> int:
        """Send every delivery that is due now, up to `senders` at a time; returns how many were
        handled.

        One at a time, a burst of deliveries waits on one mail server's round trips after another.
        So one sender starts, and each delivery a sender finds starts another, up to `senders`: a
        burst is sent side by side, while a quiet moment costs a single look for due deliveries.
        Each sender locks the delivery it sends, so no two send the same one. A sender that fails
        (an outage) cancels the others: the loop around pauses and starts again."""
        handled = active = 0

        async def sender(start_another: Callable[[], None]) -> None:
            nonlocal handled, active
            try:
                while await send_next_due_delivery(
                    self._unit_of_work(),
                    self._channels,
                    self._policy,
                    self._recording,
                    self._accepted_but_unrecorded,
                ):
                    handled += 1
                    if active < self._senders:
                        start_another()
            finally:
                active -= 1

        try:
            async with asyncio.TaskGroup() as senders:

                def start_sender() -> None:
                    nonlocal active
                    active += 1
                    senders.create_task(sender(start_sender))

                start_sender()
        except ExceptionGroup as failed:
            # The loop around tells an outage from a bug by the error itself, not by its group.
            raise failed.exceptions[0] from None
        return handled

    async def _bundle_digests_now_and_then(self) -> None:
        """Digests fall due once a day: looking once per poll interval is soon enough, and spares
        a busy dispatcher a transaction per wake-up."""
        if time.monotonic() - self._digests_looked_at < self._poll_interval_s:
            return
        await send_due_digests(self._unit_of_work, self._recording, dt.datetime.now(dt.UTC))
        self._digests_looked_at = time.monotonic()

    def _on_notify(self, *_: Any) -> None:
        self._wakeup.set()

    async def _wait_for_work(self) -> None:
        if self._wakeup.is_set():  # news came while sending: no need to look when to wake
            self._wakeup.clear()
            return
        timeout = self._poll_interval_s
        now = dt.datetime.now(dt.UTC)
        async with self._unit_of_work() as uow:
            next_retry_at = await uow.deliveries.next_retry_at(now)
        if next_retry_at is not None:
            timeout = min(timeout, (next_retry_at - now).total_seconds())
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that
        # races with the wake-up, and the dispatcher would then outlive the shutdown.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wakeup.wait()
        self._wakeup.clear()
