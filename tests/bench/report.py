"""The bench's output: one table on stdout and a JSON file with the machine's facts and every figure."""

from __future__ import annotations

import dataclasses
import json
import os
import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench.model import Measurement


@dataclass(frozen=True)
class Outcome:
    """What became of one measurement: its result, or the error that stopped it."""

    key: str
    module: str
    seconds: float
    measurement: Measurement | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.measurement is None


@dataclass(frozen=True)
class Run:
    """The facts of one bench run that a reader needs to compare it with another."""

    quick: bool
    total_seconds: float
    kafka_mode: str
    kafka_version: str | None
    postgres_mode: str
    skipped: dict[str, str]  # key -> why it did not run


HEADER = ("measurement", "variant", "figures", "ratio", "target", "met")


def print_table(outcomes: list[Outcome], run: Run) -> None:
    lines = [HEADER, *(line for outcome in outcomes for line in _table_lines(outcome))]
    widths = [max(len(line[column]) for line in lines) for column in range(len(HEADER))]
    rule = "-+-".join("-" * width for width in widths)
    print()
    for number, line in enumerate(lines):
        print(" | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
        if number == 0:
            print(rule)
    print()
    for outcome in outcomes:
        if outcome.measurement is not None:
            for note in outcome.measurement.notes:
                print(f"{outcome.key}: {note}")
        elif outcome.error is not None:
            print(f"{outcome.key}: FAILED after {outcome.seconds:.1f}s: {outcome.error}")
    for key, reason in run.skipped.items():
        print(f"{key}: skipped: {reason}")
    mode = "quick" if run.quick else "full"
    print(f"\n{mode} run, {os.cpu_count()} CPUs, {run.total_seconds:.0f}s in total; Kafka: {run.kafka_mode}")


def _table_lines(outcome: Outcome) -> list[tuple[str, ...]]:
    measurement = outcome.measurement
    if measurement is None:
        return [(outcome.key, "FAILED", (outcome.error or "").splitlines()[0][:100], "", "", "no")]
    ratio = "; ".join(f"{name} {value:.2f}" for name, value in measurement.ratios.items())
    met = {True: "yes", False: "no", None: "–"}[measurement.met]
    if not measurement.rows:
        return [(measurement.key, "(no rows)", "", ratio, measurement.target, met)]
    lines: list[tuple[str, ...]] = []
    for number, row in enumerate(measurement.rows):
        first = number == 0
        lines.append(
            (
                row.measurement,
                row.variant,
                format_figures(row.figures),
                ratio if first else "",
                measurement.target if first else "",
                met if first else "",
            )
        )
    return lines


def format_figures(figures: dict[str, float]) -> str:
    return "  ".join(f"{name} {_number(value)}" for name, value in figures.items())


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def write_json(path: Path, outcomes: list[Outcome], run: Run) -> None:
    document: dict[str, Any] = {
        "machine": {
            "cpu_count": os.cpu_count(),
            "python_version": platform.python_version(),
            "platform": platform.platform(),
        },
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": run.quick,
        "total_seconds": round(run.total_seconds, 1),
        "kafka": {"mode": run.kafka_mode, "version": run.kafka_version},
        "postgres": {"mode": run.postgres_mode},
        "measurements": [_outcome_document(outcome) for outcome in outcomes],
        "skipped": run.skipped,
        "failed": [outcome.key for outcome in outcomes if outcome.failed],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _outcome_document(outcome: Outcome) -> dict[str, Any]:
    common = {"key": outcome.key, "module": outcome.module, "seconds": round(outcome.seconds, 1)}
    if outcome.measurement is None:
        return {**common, "status": "failed", "error": outcome.error}
    return {**common, "status": "ok", **dataclasses.asdict(outcome.measurement)}
