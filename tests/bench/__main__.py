"""`python -m tests.bench [--quick] [--only P2,P4] [--json PATH]`: run the measurements, print the table.

Kafka and PostgreSQL come from `werkstattnetz_devstack.testing` (a running one named by
KAFKA_BOOTSTRAP_SERVERS / TEST_POSTGRES_ADMIN_URL, else testcontainers, else local processes with
data under `.cache/bench`). A measurement that raises is reported as failed and the others still
run; the exit status is 1 when any failed.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Coroutine
from contextlib import ExitStack
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import uvloop

from tests.bench.model import BenchContext, Measurement
from tests.bench.report import Outcome, Run, print_table, write_json
from werkstattnetz_devstack.kafka import DEFAULT_KAFKA_VERSION
from werkstattnetz_devstack.paths import find_repository_root
from werkstattnetz_devstack.testing import provide_kafka, provide_postgres

MEASUREMENTS = [
    ("P1", "tests.bench.p1_enrolment_to_mail"),
    ("P2", "tests.bench.p2_consumer"),
    ("P3", "tests.bench.p3_http"),
    ("P4", "tests.bench.p4_relay"),
    ("P5", "tests.bench.p5_replicas"),
]
KEYS = [key for key, _ in MEASUREMENTS]
CACHE = find_repository_root() / ".cache" / "bench"

Measure = Callable[[BenchContext], Coroutine[Any, Any, Measurement]]


class Progress:
    """Prints one line to stderr, prefixed with the seconds since the bench started."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def __call__(self, line: str) -> None:
        print(f"[bench {self.elapsed:6.1f}s] {line}", file=sys.stderr, flush=True)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: seconds, not minutes (CI)")
    parser.add_argument(
        "--only", type=_keys, default=KEYS, help=f"comma-separated subset of {','.join(KEYS)}"
    )
    parser.add_argument(
        "--json", type=Path, default=CACHE / "results.json", help="where to write the results as JSON"
    )
    return parser.parse_args(argv)


def _keys(text: str) -> list[str]:
    keys = [key.strip().upper() for key in text.split(",") if key.strip()]
    unknown = [key for key in keys if key not in KEYS]
    if unknown or not keys:
        raise argparse.ArgumentTypeError(f"choose from {','.join(KEYS)}; got {text!r}")
    return keys


def load_measures(
    selected: list[str], progress: Progress
) -> tuple[list[tuple[str, str, Measure]], list[Outcome], dict[str, str]]:
    """The measure functions to run; modules that fail to import (failed); ones not written yet."""
    runnable: list[tuple[str, str, Measure]] = []
    broken: list[Outcome] = []
    skipped: dict[str, str] = {}
    for key, module_name in MEASUREMENTS:
        if key not in selected:
            continue
        try:
            module: ModuleType = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                broken.append(Outcome(key, module_name, 0.0, error=f"import failed: {error!r}"))
                continue
            skipped[key] = f"no module {module_name} yet"
            progress(f"{key}: skipped, {skipped[key]}")
            continue
        except Exception as error:  # noqa: BLE001 - a broken module is reported, the rest still runs
            broken.append(Outcome(key, module_name, 0.0, error=f"import failed: {error!r}"))
            continue
        measure = getattr(module, "measure", None)
        if not inspect.iscoroutinefunction(measure):
            broken.append(Outcome(key, module_name, 0.0, error="has no `async def measure(ctx)`"))
            continue
        runnable.append((key, module_name, measure))
    for outcome in broken:
        progress(f"{outcome.key}: FAILED, {outcome.error}")
    return runnable, broken, skipped


def run_one(key: str, module_name: str, measure: Measure, context: BenchContext) -> Outcome:
    progress = context.progress
    progress(f"{key}: starting ({module_name})")
    started = time.perf_counter()
    try:
        # A fresh event loop per measurement: whatever one leaves behind cannot slow the next. uvloop,
        # as in the services: the project's code measured in this process (P2, P4) runs on the loop
        # it runs on in production, and the load generator and mail sink take less of the cores the
        # system under test needs.
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            measurement = runner.run(measure(context))
    except Exception as error:  # noqa: BLE001 - reported as failed; the other measurements still run
        seconds = time.perf_counter() - started
        traceback.print_exc(file=sys.stderr)
        progress(f"{key}: FAILED after {seconds:.1f}s: {error!r}")
        return Outcome(key, module_name, seconds, error=f"{type(error).__name__}: {error}")
    seconds = time.perf_counter() - started
    progress(f"{key}: done in {seconds:.1f}s")
    return Outcome(key, module_name, seconds, measurement=measurement)


def interrupt_on_sigterm(signal_number: int, frame: FrameType | None) -> None:
    """Treat SIGTERM like Ctrl-C, so the Kafka and PostgreSQL started here are stopped."""
    raise KeyboardInterrupt(f"signal {signal_number}")


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    signal.signal(signal.SIGTERM, interrupt_on_sigterm)
    progress = Progress()
    runnable, outcomes, skipped = load_measures(arguments.only, progress)
    kafka_mode = postgres_mode = "not started"
    kafka_version: str | None = None
    if runnable:
        with ExitStack() as servers:
            progress("starting Kafka and PostgreSQL …")
            kafka = servers.enter_context(provide_kafka(CACHE))
            progress(f"Kafka: {kafka.mode} at {kafka.bootstrap_servers}")
            postgres = servers.enter_context(provide_postgres(CACHE))
            progress(f"PostgreSQL: {postgres.mode}")
            kafka_mode, postgres_mode = kafka.mode, postgres.mode
            if kafka.mode.startswith("local process"):
                kafka_version = os.environ.get("KAFKA_VERSION", DEFAULT_KAFKA_VERSION)
            context = BenchContext(kafka, postgres, arguments.quick, progress)
            for key, module_name, measure in runnable:
                outcomes.append(run_one(key, module_name, measure, context))
            progress("stopping Kafka and PostgreSQL …")
    outcomes.sort(key=lambda outcome: KEYS.index(outcome.key))
    run = Run(arguments.quick, progress.elapsed, kafka_mode, kafka_version, postgres_mode, skipped)
    print_table(outcomes, run)
    write_json(arguments.json, outcomes, run)
    progress(f"results written to {arguments.json}")
    return 1 if any(outcome.failed for outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
