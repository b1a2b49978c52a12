"""Background loops pause on outages and resume; a bug ends them for the supervisor to see."""

from __future__ import annotations

import asyncio

import pytest

from werkstattnetz_shared.faults import run_through_outages


def test_an_outage_pauses_the_work_and_it_runs_again_until_a_bug_ends_it() -> None:
    calls: list[str] = []

    async def work() -> None:
        calls.append("run")
        if len(calls) <= 2:
            raise ConnectionRefusedError("database down")  # an outage: paused, run again
        if len(calls) == 3:
            return  # a normal end: run again at once
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        asyncio.run(run_through_outages(work, what="test loop", initial_backoff_s=0.001, max_backoff_s=0.002))
    assert len(calls) == 4
