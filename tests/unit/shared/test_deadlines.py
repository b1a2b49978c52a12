"""The deadline loop acts on what is due, sleeps until the next deadline (never longer than the
poll interval), pauses through outages and leaves bugs to the supervisor."""

from __future__ import annotations

import asyncio
import datetime as dt

import asyncpg
import pytest

from werkstattnetz_shared.deadlines import DeadlineLoop


class Deadlines:
    """Due items as a plain list of moments; acting on them removes those that have passed."""

    def __init__(self, *moments: dt.datetime) -> None:
        self.moments = sorted(moments)
        self.acted_at: list[dt.datetime] = []
        self.failures: list[Exception] = []

    async def act_on_due(self) -> int:
        if self.failures:
            raise self.failures.pop(0)
        now = dt.datetime.now(dt.UTC)
        due = [moment for moment in self.moments if moment <= now]
        self.moments = [moment for moment in self.moments if moment > now]
        self.acted_at.extend(now for _ in due)
        return len(due)

    async def next_deadline(self) -> dt.datetime | None:
        return self.moments[0] if self.moments else None


def soon(seconds: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)


async def run_for(loop: DeadlineLoop, seconds: float) -> None:
    task = asyncio.create_task(loop.run())
    await asyncio.sleep(seconds)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_each_deadline_is_acted_on_close_after_it_passes_even_with_a_long_poll() -> None:
    moments = (soon(0.05), soon(0.15))
    deadlines = Deadlines(*moments)
    loop = DeadlineLoop("test", deadlines.act_on_due, deadlines.next_deadline, poll_interval_s=10)
    await run_for(loop, 0.4)
    assert len(deadlines.acted_at) == 2
    assert all(
        dt.timedelta(0) <= acted - moment < dt.timedelta(seconds=0.1)
        for acted, moment in zip(deadlines.acted_at, moments, strict=True)
    )


async def test_an_outage_pauses_the_loop_and_it_goes_on_afterwards() -> None:
    deadlines = Deadlines(soon(0.0))
    deadlines.failures.append(asyncpg.exceptions.CannotConnectNowError("the database is starting up"))
    loop = DeadlineLoop("test", deadlines.act_on_due, deadlines.next_deadline, poll_interval_s=0.05)
    await run_for(loop, 0.8)  # the first pause after an outage is 0.5 s
    assert (len(deadlines.acted_at), deadlines.failures) == (1, [])


async def test_a_bug_is_raised_to_the_supervisor() -> None:
    deadlines = Deadlines()
    deadlines.failures.append(KeyError("a bug"))
    loop = DeadlineLoop("test", deadlines.act_on_due, deadlines.next_deadline, poll_interval_s=0.05)
    with pytest.raises(KeyError):
        await asyncio.wait_for(loop.run(), timeout=2)
