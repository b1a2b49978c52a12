"""`python -m tests.bench --quick` still runs every measurement end to end (timings are not checked).

The bench runs as a subprocess, as `make bench` does, on this session's Kafka and PostgreSQL
(handed over through KAFKA_BOOTSTRAP_SERVERS and TEST_POSTGRES_ADMIN_URL), so it starts no servers
of its own.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.bench.__main__ import MEASUREMENTS
from werkstattnetz_devstack.paths import find_repository_root
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

pytestmark = [pytest.mark.integration, pytest.mark.timeout(660)]

BENCH_TIMEOUT_S = 600


def existing_measurements() -> list[str]:
    return [key for key, module in MEASUREMENTS if importlib.util.find_spec(module) is not None]


def test_quick_bench_measures_every_written_measurement(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests, tmp_path: Path
) -> None:
    results = tmp_path / "results.json"
    environment = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_broker.bootstrap_servers,
        "TEST_POSTGRES_ADMIN_URL": postgres_server.admin_dsn,
    }
    finished = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--quick", "--json", str(results)],
        cwd=find_repository_root(),
        env=environment,
        capture_output=True,
        text=True,
        timeout=BENCH_TIMEOUT_S,
        check=False,
    )
    output = f"stdout:\n{finished.stdout}\nstderr (end):\n{finished.stderr[-6000:]}"
    assert finished.returncode == 0, output

    document = json.loads(results.read_text(encoding="utf-8"))
    measured: dict[str, dict[str, Any]] = {entry["key"]: entry for entry in document["measurements"]}
    assert document["quick"] is True
    assert document["failed"] == [], output
    for key in existing_measurements():
        assert key in measured, f"{key} missing from the results\n{output}"
        entry = measured[key]
        assert entry["status"] == "ok", entry
        assert entry["rows"], f"{key} has no rows"
        for row in entry["rows"]:
            assert row["figures"], f"{key}: a row without figures: {row}"
            # Counts such as `missing` or `duplicate_effects` are rightly 0; nothing is negative,
            # and every row measured something.
            assert all(value >= 0 for value in row["figures"].values()), f"{key}: {row}"
            assert any(value > 0 for value in row["figures"].values()), f"{key}: {row}"
            # Correctness, not speed: the replicas never doubled an effect nor lost one.
            assert row["figures"].get("duplicate_effects", 0) == 0, f"{key}: {row}"
            assert row["figures"].get("missing_effects", 0) == 0, f"{key}: {row}"
        assert entry["ratios"], f"{key} has no ratios"
    # P5 drains a backlog with one and with two replicas of every service that consumes events.
    drained = {row["variant"].split(":")[0] for row in measured["P5"]["rows"]}
    assert drained == {"placement", "outcomes", "notifications", "intake"}, measured["P5"]["rows"]
    assert len(measured["P5"]["ratios"]) == 5, measured["P5"]["ratios"]  # placement at 3 and 12 partitions
