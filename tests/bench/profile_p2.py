"""`python -m tests.bench.profile_p2 [--events N] [--partitions P]`: the project's consumer
pipeline of P2 (quick size) under cProfile, to see where its time goes.

Prints the top functions by cumulative and by own time. Time spent in the event loop's
`select`/`epoll` is time waiting for PostgreSQL or Kafka to answer (round trips), not CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys

from tests.bench.p2_consumer import (
    DEFAULT_PARTITIONS,
    EVENTS_QUICK,
    drain_with_project,
    enrolment_events,
    fresh_database,
    publish_backlog,
)
from tests.support.kafka_tools import unique_prefix
from werkstattnetz_devstack.paths import find_repository_root
from werkstattnetz_devstack.testing import PostgresForTests, provide_kafka, provide_postgres

CACHE = find_repository_root() / ".cache" / "bench"
TOP = 25


async def profile_project(bootstrap: str, postgres: PostgresForTests, events: int, partitions: int) -> None:
    topic = f"{unique_prefix()}p2.profile"
    await publish_backlog(bootstrap, topic, partitions, enrolment_events(events))
    dsn = await fresh_database(postgres, "bench_p2_profile")
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        drained = await drain_with_project(bootstrap, topic, dsn, events)
    finally:
        profiler.disable()
    print(
        f"project pipeline under cProfile: {events} events, {partitions} partitions, "
        f"{drained.events_per_s:.0f} events/s (startup {drained.startup_s:.2f} s), "
        f"{drained.statements_per_event} SQL statements per event\n"
    )
    stats = pstats.Stats(profiler, stream=sys.stdout)
    for order in ("cumulative", "tottime"):
        print(f"=== top {TOP} by {order} ===")
        stats.sort_stats(order).print_stats(TOP)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.profile_p2", description=__doc__)
    parser.add_argument("--events", type=int, default=EVENTS_QUICK)
    parser.add_argument("--partitions", type=int, default=DEFAULT_PARTITIONS)
    arguments = parser.parse_args(argv)
    with provide_kafka(CACHE) as kafka, provide_postgres(CACHE) as postgres:
        asyncio.run(
            profile_project(kafka.bootstrap_servers, postgres, arguments.events, arguments.partitions)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
