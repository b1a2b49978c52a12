"""A context manager, for `with` and `async with`, that takes the broker away for a while."""

import asyncio
from collections.abc import Callable
from types import TracebackType


class OutageNotPossibleError(RuntimeError):
    """The broker or database was not started by the fixtures as a local process, so they cannot
    take it down (or kill and restart it)."""


class BrokerOutage:
    """Makes the broker unavailable on entry and brings it back (ready again) on exit.

    The async form runs the blocking stop and start in a thread, so the test's own clients keep
    running on the event loop meanwhile and can observe the outage.
    """

    def __init__(
        self, make_unavailable: Callable[[], None], bring_back: Callable[[], None]
    ) -> None:
        self._make_unavailable = make_unavailable
        self._bring_back = bring_back

    def __enter__(self) -> "BrokerOutage":
        self._make_unavailable()
        return self

    def __exit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._bring_back()

    async def __aenter__(self) -> "BrokerOutage":
        await asyncio.to_thread(self._make_unavailable)
        return self

    async def __aexit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self._bring_back)
