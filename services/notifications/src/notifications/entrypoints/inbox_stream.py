"""The inbox broadcaster: one LISTEN connection per process, fanned out to the open inbox streams.

Each committed inbox item NOTIFYs its recipient and id (see `InboxRepository.add`); the
broadcaster hands the id to every stream that recipient has open in this process. Streams read
the item from the database themselves, so nothing of the payload but the ids is trusted.

Queues are bounded: a stream that does not keep up is ended rather than let grow, and its browser
reconnects with `Last-Event-ID` and is replayed what it missed. NOTIFYs sent while the listener is
down are lost, so after every (re)connection the streams opened meanwhile are ended the same way.
Database outages only pause the broadcaster, like the mail dispatcher; anything else is a bug,
left to the service's supervision to log and restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import asyncpg

from notifications.adapters.inbox_repository import INBOX_CHANNEL
from werkstattnetz_shared.db.pool import reset_on_release
from werkstattnetz_shared.faults import run_through_outages

log = logging.getLogger(__name__)

QUEUE_CAPACITY = 100
"""Item ids one stream may have waiting; beyond that the stream is ended as too slow."""


class Subscription:
    """One open stream's view of the broadcaster: the ids of its recipient's new items."""

    def __init__(self, recipient: str, capacity: int) -> None:
        self.recipient = recipient
        self._item_ids: asyncio.Queue[uuid.UUID] = asyncio.Queue(capacity)
        self._ended = asyncio.Event()

    @property
    def ended(self) -> bool:
        return self._ended.is_set()

    async def next_item_id(self, timeout_s: float) -> uuid.UUID | None:
        """The next item id; None when `timeout_s` passed first or the subscription ended."""
        if self.ended:
            return None
        if not self._item_ids.empty():
            return self._item_ids.get_nowait()
        arrived = asyncio.ensure_future(self._item_ids.get())
        ended = asyncio.ensure_future(self._ended.wait())
        try:
            await asyncio.wait({arrived, ended}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # A cancelled Queue.get leaves its item in the queue, so nothing is lost here.
            arrived.cancel()
            ended.cancel()
        return arrived.result() if arrived.done() and not arrived.cancelled() else None

    def offer(self, item_id: uuid.UUID) -> bool:
        """False when the queue is full: the stream is too slow to keep."""
        try:
            self._item_ids.put_nowait(item_id)
        except asyncio.QueueFull:
            return False
        return True

    def end(self) -> None:
        self._ended.set()


class InboxBroadcaster:
    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        queue_capacity: int = QUEUE_CAPACITY,
        health_check_interval_s: float = 5.0,
        max_outage_backoff_s: float = 15.0,
    ) -> None:
        self._pool = pool
        self._queue_capacity = queue_capacity
        self._health_check_interval_s = health_check_interval_s
        self._max_outage_backoff_s = max_outage_backoff_s
        self._subscriptions: dict[str, set[Subscription]] = {}
        self._closed = False
        self.listening = asyncio.Event()
        """Set while NOTIFYs are being received (tests wait for it before committing items)."""

    @contextlib.contextmanager
    def subscribe(self, recipient: str) -> Iterator[Subscription]:
        """New item ids for `recipient` until the block ends; ended at once after `close()`."""
        subscription = Subscription(recipient, self._queue_capacity)
        if self._closed:
            subscription.end()
        self._subscriptions.setdefault(recipient, set()).add(subscription)
        try:
            yield subscription
        finally:
            self._forget(subscription)

    def open_streams(self, recipient: str) -> int:
        return len(self._subscriptions.get(recipient, ()))

    def close(self) -> None:
        """End every stream, now and from now on: the process is shutting down."""
        self._closed = True
        self._end_all()

    async def run(self) -> None:
        """Run until cancelled; infrastructure failures only pause it."""
        try:
            await run_through_outages(
                self._listen, what="inbox broadcaster", max_backoff_s=self._max_outage_backoff_s
            )
        finally:
            # Nobody listens until a restart: the open streams would wait in vain.
            self.listening.clear()
            self._end_all()

    async def _listen(self) -> None:
        async with self._pool.acquire() as connection:
            lost = asyncio.Event()

            def on_termination(_: Any) -> None:
                lost.set()

            connection.add_termination_listener(on_termination)
            reset_on_release(connection)  # LISTEN
            await connection.add_listener(INBOX_CHANNEL, self._on_notify)
            # Streams opened while nobody listened may have missed items: make them resume.
            self._end_all()
            self.listening.set()
            try:
                while True:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._health_check_interval_s):
                            await lost.wait()
                    if lost.is_set():
                        log.warning("the inbox LISTEN connection was closed; listening again")
                        return
                    # A LISTENing connection that died unnoticed would stay silent for ever; a
                    # trivial query every few seconds notices.
                    await connection.execute("SELECT 1", timeout=self._health_check_interval_s)
            finally:
                self.listening.clear()
                # A terminated connection is already detached from its pool proxy: nothing to undo.
                with contextlib.suppress(Exception):
                    await connection.remove_listener(INBOX_CHANNEL, self._on_notify)
                    connection.remove_termination_listener(on_termination)

    def _on_notify(self, _connection: Any, _pid: int, _channel: str, payload: object) -> None:
        try:
            message = json.loads(str(payload))
            recipient = str(message["recipient"])
            item_id = uuid.UUID(str(message["item_id"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignored an inbox notification that is not ours: %.200r", payload)
            return
        for subscription in list(self._subscriptions.get(recipient, ())):
            if not subscription.offer(item_id):
                log.info("an inbox stream fell behind and is ended; its client resumes")
                subscription.end()
                self._forget(subscription)

    def _forget(self, subscription: Subscription) -> None:
        subscriptions = self._subscriptions.get(subscription.recipient)
        if subscriptions is not None:
            subscriptions.discard(subscription)
            if not subscriptions:
                del self._subscriptions[subscription.recipient]

    def _end_all(self) -> None:
        for subscriptions in self._subscriptions.values():
            for subscription in subscriptions:
                subscription.end()
