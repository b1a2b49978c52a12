"""The funders' example consumer, run as its own process against the real broker: it counts each exit
once however often it is delivered, skips what it does not handle, and recounts on a restart."""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.support.kafka_tools import create_topics, publish, publish_raw, unique_prefix
from werkstattnetz_devstack.testing import KafkaForTests
from werkstattnetz_shared.events import EventEnvelope

pytestmark = pytest.mark.integration

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "funder_consumer"
CONSUMER = EXAMPLE / "funder_consumer.py"
FINAL = (
    "final: exits 3 | programme 2/3 = 66.7 % | Jobcenter view 1/3 = 33.3 % | Jobcenter-funded 1/2 = 50.0 %"
)


def _outcome(event_type: str, data: dict[str, Any]) -> EventEnvelope:
    """Built from the published envelope shape, not from a contract class: that is all a funder has."""
    event_id = uuid.uuid4()
    return EventEnvelope(
        event_id=event_id,
        event_type=event_type,
        event_version=1,
        occurred_at=dt.datetime.now(dt.UTC),
        producer="outcomes",
        participant_id=uuid.uuid4(),
        correlation_id=event_id,
        causation_id=None,
        data=data,
    )


async def _run_consumer(*arguments: str) -> tuple[int, list[str]]:
    """Exit code and printed lines; both are printed, so pytest shows them when a test fails."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(CONSUMER),
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        output, log = await asyncio.wait_for(process.communicate(), timeout=90)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    print(output.decode(), log.decode(), sep="\n")
    return process.returncode, output.decode().splitlines()


async def _publish_history(bootstrap_servers: str, topic: str) -> EventEnvelope:
    """Three exits (one twice), an IntegrationAchieved and a version the consumer does not know."""
    await create_topics(bootstrap_servers, topic)
    apprenticeship = _outcome(
        "ParticipantExited",
        {
            "destination": "apprenticeship",
            "exit_date": "2025-03-14",
            "integrated": True,
            "jobcenter_integrated": True,
            "work_area": "care",
            "funder": "jobcenter",
        },
    )
    # An older exit without `jobcenter_integrated`: the Jobcenter view follows the destination.
    therapy = _outcome(
        "ParticipantExited",
        {"destination": "therapy", "exit_date": "2025-03-20", "integrated": True, "funder": "city"},
    )
    dropout = _outcome(
        "ParticipantExited",
        {"destination": "dropout", "exit_date": "2025-04-01", "integrated": False, "funder": "jobcenter"},
    )
    achieved = _outcome(
        "IntegrationAchieved",
        {"destination": "apprenticeship", "exit_date": "2025-03-14", "funder": "jobcenter"},
    )
    for envelope in (apprenticeship, achieved, therapy, apprenticeship, dropout):
        await publish(bootstrap_servers, topic, envelope)
    future = _outcome("ParticipantExited", {"destination": "employment", "exit_date": "2025-05-01"})
    await publish_raw(
        bootstrap_servers,
        topic,
        future.kafka_key,
        json.dumps({**future.model_dump(mode="json"), "event_version": 2}).encode(),
        [("ce_type", b"org.werkstattnetz.ParticipantExited.v2"), ("ce_id", str(future.event_id).encode())],
    )
    return apprenticeship


async def test_running_rate_counts_each_exit_once_and_a_restart_recounts(kafka_broker: KafkaForTests) -> None:
    prefix = unique_prefix()
    duplicated = await _publish_history(kafka_broker.bootstrap_servers, f"{prefix}outcomes.events")
    common = ["--bootstrap-servers", kafka_broker.bootstrap_servers, "--topic-prefix", prefix]
    common += ["--group-id", f"{prefix}funder-reporting"]

    code, lines = await _run_consumer(*common, "--max-events", "6", "--exit-after-idle", "30")

    assert code == 0, lines
    assert lines[0] == f"reading {prefix}outcomes.events as group {prefix}funder-reporting"
    assert sum(" exit " in line for line in lines) == 3, lines
    (duplicate,) = [line for line in lines if "duplicate" in line]
    assert f"duplicate {duplicated.event_id} ignored" in duplicate
    assert _index_of(lines, f"exit {duplicated.event_id} apprenticeship") < lines.index(duplicate)
    assert sum("skipped org.werkstattnetz.IntegrationAchieved.v1" in line for line in lines) == 1
    assert sum("skipped org.werkstattnetz.ParticipantExited.v2" in line for line in lines) == 1
    assert lines[-1] == FINAL

    # The same group again: the figures live in memory, so it reads everything from the start.
    code, lines = await _run_consumer(*common, "--exit-after-idle", "3")

    assert code == 0, lines
    assert lines[-2:] == ["idle for 3 s", FINAL]
    assert len([line for line in lines if line.startswith("#")]) == 6


def test_the_example_depends_on_nothing_but_aiokafka() -> None:
    imported = set()
    for node in ast.walk(ast.parse(CONSUMER.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported - set(sys.stdlib_module_names) - {"__future__"} == {"aiokafka"}
    requirements = (EXAMPLE / "requirements.txt").read_text().split()
    assert [line for line in requirements if not line.startswith("#")] == ["aiokafka>=0.11,<0.15"]


def _index_of(lines: list[str], text: str) -> int:
    return next(index for index, line in enumerate(lines) if text in line)
