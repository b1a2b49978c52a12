"""What a measurement gets (the running infrastructure) and what it gives back (rows and ratios)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests


@dataclass(frozen=True)
class BenchContext:
    kafka: KafkaForTests  # .bootstrap_servers
    postgres: PostgresForTests  # .create_database(name) -> url
    quick: bool  # --quick: small sizes, seconds not minutes; CI runs it to catch breakage
    progress: Callable[[str], None]  # one line of progress to stderr


@dataclass(frozen=True)
class Row:
    """One line of the printed table."""

    measurement: str  # e.g. "P2 consumer pipeline"
    variant: str  # e.g. "project (ReliableConsumer)" / "bare floor (aiokafka+asyncpg)"
    figures: dict[str, float]  # e.g. {"events_per_s": 812.0} or {"p50_ms": …, "p99_ms": …}


@dataclass(frozen=True)
class Measurement:
    key: str  # "P2"
    title: str
    rows: list[Row]
    ratios: dict[str, float]  # e.g. {"project/floor": 0.41}
    target: str  # the target in words, e.g. "≥ 0.8 of the bare floor"
    met: bool | None  # whether the target is met on this machine (None if not applicable)
    notes: list[str]  # what bounds it, sizes used, anything a reader needs
