"""An SMTP server on the bench's own event loop that notes which participant each mail names and
when it arrived (P1: latency, P5: how many mails each participant got)."""

from __future__ import annotations

import asyncio
import contextlib
import email
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiosmtpd.smtp import SMTP, Envelope, Session

UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class MailArrivals:
    """The sink's handler: the first arrival (perf_counter) of a mail naming each participant, and
    how many mails named each."""

    arrived: dict[str, float] = field(default_factory=dict)
    mails_about: Counter[str] = field(default_factory=Counter)
    mails: int = 0
    _news: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        now = time.perf_counter()
        self.mails += 1
        for participant_id in set(_participant_ids(envelope.original_content or b"")):
            self.arrived.setdefault(participant_id, now)
            self.mails_about[participant_id] += 1
        self._news.set()
        return "250 Message accepted"

    async def wait_for(self, participant_ids: list[str], deadline: float) -> None:
        """Until a mail about each of them arrived, or perf_counter() passes `deadline`."""
        while any(pid not in self.arrived for pid in participant_ids):
            self._news.clear()
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._news.wait(), remaining)

    def forget(self) -> None:
        """Start counting afresh (P5 sends the same participants' mails in every run)."""
        self.arrived.clear()
        self.mails_about.clear()
        self.mails = 0


def _participant_ids(raw: bytes) -> list[str]:
    """The ids named in the plain-text part. Parsed with the compat32 classes: the modern policy
    refolds every header and cost the bench 1.7 ms of the cores per mail that the system under
    test needs (15× this)."""
    message = email.message_from_bytes(raw)
    plain = next((part for part in message.walk() if part.get_content_type() == "text/plain"), None)
    body = plain.get_payload(decode=True) if plain is not None else None
    text = body if isinstance(body, bytes) else raw
    return [match.decode() for match in UUID.findall(text)]


@asynccontextmanager
async def mail_sink() -> AsyncIterator[tuple[MailArrivals, int]]:
    arrivals = MailArrivals()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(arrivals), "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    try:
        yield arrivals, port
    finally:
        server.close()
        await server.wait_closed()
