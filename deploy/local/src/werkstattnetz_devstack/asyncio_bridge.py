"""Runs a coroutine to completion from synchronous code, even when an event loop already runs.

The devstack's classes are synchronous (they manage processes), but their readiness checks use
asyncio clients, and they are called from async tests too, where `asyncio.run` is not allowed.
"""

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

Result = TypeVar("Result")


def run_coroutine_blocking(coroutine: Coroutine[Any, Any, Result]) -> Result:
    """Run `coroutine` on a fresh event loop in a helper thread and return its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict[str, Any] = {}

    def run_in_own_loop() -> None:
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as error:  # handed over to the caller's thread below
            outcome["error"] = error

    helper = threading.Thread(target=run_in_own_loop, name="devstack-asyncio-bridge")
    helper.start()
    helper.join()
    if "error" in outcome:
        raise outcome["error"]
    result: Result = outcome["result"]
    return result
