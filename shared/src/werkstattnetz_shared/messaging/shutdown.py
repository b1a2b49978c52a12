"""Stopping Kafka clients without hanging: a producer with unsent batches waits for a broker that
may never answer, and a service must still shut down (the outbox keeps what was not confirmed)."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

log = logging.getLogger(__name__)

CLIENT_STOP_TIMEOUT_S = 5.0


class Stoppable(Protocol):
    async def stop(self) -> None: ...


async def stop_within(client: Stoppable, timeout_s: float = CLIENT_STOP_TIMEOUT_S) -> None:
    """Stop the client, giving up after `timeout_s`; errors while stopping are only logged."""
    try:
        await asyncio.wait_for(client.stop(), timeout=timeout_s)
    except TimeoutError:
        log.warning("%s did not stop within %.0fs; left behind", type(client).__name__, timeout_s)
    except Exception:  # stopping after a failure may fail again; nothing more to do
        log.debug("%s stop failed", type(client).__name__, exc_info=True)
