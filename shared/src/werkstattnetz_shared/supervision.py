"""Supervised background tasks: a task that dies is logged and restarted with backoff.

The relay, the consumers, the retention job and a service's own loops (the mail dispatcher)
each catch the outages they expect and pause by themselves. Supervision is the net below that:
a bug that escapes one of them must not leave the service up but silently deaf. While a task
waits to be restarted, `/health/ready` names it (see `readiness_check`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from werkstattnetz_shared.messaging.metrics import MessagingMetrics

log = logging.getLogger(__name__)

# A task that ran this long before dying starts again from the shortest backoff.
HEALTHY_RUN_S = 60.0


class BackgroundTaskDown(RuntimeError):
    """Raised by the readiness check while a supervised task waits to be restarted."""


@dataclass
class TaskState:
    running: bool = False
    restarts: int = 0
    last_error: str | None = None


class Supervisor:
    def __init__(
        self,
        metrics: MessagingMetrics | None = None,
        *,
        initial_backoff_s: float = 0.5,
        max_backoff_s: float = 30.0,
    ) -> None:
        self._metrics = metrics or MessagingMetrics()
        self._initial_backoff_s = initial_backoff_s
        self._max_backoff_s = max_backoff_s
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self.states: dict[str, TaskState] = {}

    def supervise(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        """Run `run()` in the background, again and again, until `stop()`."""
        if name in self._tasks:
            raise ValueError(f"a background task named {name!r} runs already")
        self.states[name] = TaskState()
        self._tasks[name] = asyncio.create_task(self._keep_running(name, run), name=name)

    async def _keep_running(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        state = self.states[name]
        backoff = self._initial_backoff_s
        while True:
            state.running = True
            self._metrics.task_up.labels(name).set(1)
            started = time.monotonic()
            try:
                await run()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                state.last_error = f"{type(error).__name__}: {error}"[:300]
                log.exception("background task %s died; restarting in %.1fs", name, backoff)
            else:
                state.last_error = "returned although it should run until stopped"
                log.error("background task %s returned; restarting in %.1fs", name, backoff)
            state.running = False
            state.restarts += 1
            self._metrics.task_up.labels(name).set(0)
            self._metrics.task_restarts.labels(name).inc()
            if time.monotonic() - started >= HEALTHY_RUN_S:
                backoff = self._initial_backoff_s
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self._max_backoff_s)

    async def readiness_check(self) -> None:
        down = {name: state.last_error for name, state in self.states.items() if not state.running}
        if down:
            raise BackgroundTaskDown("; ".join(f"{name} down ({error})" for name, error in down.items()))

    async def stop(self, timeout_s: float = 15.0) -> None:
        """Cancel every task; one that does not finish in time is left to the process exit."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            _, unfinished = await asyncio.wait(tasks, timeout=timeout_s)
            for task in unfinished:
                log.warning("%s did not stop within %.0fs", task.get_name(), timeout_s)
        self._tasks.clear()
