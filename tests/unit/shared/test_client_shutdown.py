"""A client that will not stop must not keep a service from shutting down."""

import asyncio
import time

from werkstattnetz_shared.messaging.shutdown import stop_within


class HangingClient:
    def __init__(self) -> None:
        self.cancelled = False

    async def stop(self) -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            self.cancelled = True
            raise


class BrokenClient:
    async def stop(self) -> None:
        raise ConnectionResetError("broker went away")


async def test_a_hanging_stop_is_abandoned_after_the_timeout() -> None:
    client = HangingClient()
    started = time.monotonic()
    await stop_within(client, timeout_s=0.05)
    assert time.monotonic() - started < 1.0
    assert client.cancelled


async def test_a_failing_stop_is_swallowed() -> None:
    await stop_within(BrokenClient(), timeout_s=1.0)
