"""Supervised background tasks are restarted after they die, and readiness says so meanwhile."""

from __future__ import annotations

import asyncio

import pytest

from werkstattnetz_shared.supervision import BackgroundTaskDown, Supervisor


async def test_a_task_that_dies_is_restarted_and_reported_down_meanwhile() -> None:
    runs = 0
    release = asyncio.Event()

    async def flaky() -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise KeyError("a bug")
        await release.wait()
        await asyncio.Event().wait()

    supervisor = Supervisor(initial_backoff_s=0.2)
    supervisor.supervise("flaky", flaky)
    try:
        await asyncio.sleep(0.05)
        with pytest.raises(BackgroundTaskDown, match="flaky down \\(KeyError: 'a bug'\\)"):
            await supervisor.readiness_check()
        await asyncio.sleep(0.3)
        assert runs == 2
        await supervisor.readiness_check()  # running again: ready
        assert supervisor.states["flaky"].restarts == 1
    finally:
        await supervisor.stop()


async def test_a_task_that_returns_is_restarted_too() -> None:
    runs = 0

    async def returns_early() -> None:
        nonlocal runs
        runs += 1
        if runs > 1:
            await asyncio.Event().wait()

    supervisor = Supervisor(initial_backoff_s=0.01)
    supervisor.supervise("early", returns_early)
    try:
        await asyncio.sleep(0.2)
        assert runs == 2
        assert supervisor.states["early"].last_error == "returned although it should run until stopped"
    finally:
        await supervisor.stop()


async def test_stop_cancels_every_task() -> None:
    supervisor = Supervisor()
    cancelled = asyncio.Event()

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            cancelled.set()

    supervisor.supervise("forever", forever)
    await asyncio.sleep(0)
    await supervisor.stop(timeout_s=2)
    assert cancelled.is_set()
