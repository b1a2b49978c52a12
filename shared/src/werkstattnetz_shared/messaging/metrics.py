"""Prometheus metrics of the messaging plumbing: consumers, outbox relay, background tasks.

Each service app owns one registry (served at `/metrics`); the metric objects are built per
registry, so several services in one test process never share counters.
"""

from __future__ import annotations

import asyncpg
from prometheus_client import CollectorRegistry, Counter, Gauge


class MessagingMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        # Without a registry the metrics are still counted, just not served (tests, tools).
        self.registry = registry if registry is not None else CollectorRegistry()
        registry = self.registry
        self.consumed = Counter(
            "werkstattnetz_consumer_events",
            "Messages a consumer finished with, by outcome: handled, dead_lettered, "
            "skipped_unknown_type, skipped_unsupported_version.",
            ["consumer_group", "topic", "event_type", "outcome"],
            registry=registry,
        )
        self.handler_failures = Counter(
            "werkstattnetz_consumer_handler_failures",
            "Failed handling attempts; kind=message counts towards the dead-letter topic, "
            "kind=infrastructure only pauses the partition.",
            ["consumer_group", "kind"],
            registry=registry,
        )
        self.lag = Gauge(
            "werkstattnetz_consumer_lag",
            "Messages on the partition not yet handled by this consumer (high watermark - next offset).",
            ["consumer_group", "topic", "partition"],
            registry=registry,
        )
        self.paused_partitions = Gauge(
            "werkstattnetz_consumer_paused_partitions",
            "Partitions paused because the database or broker is unavailable.",
            ["consumer_group"],
            registry=registry,
        )
        self.partitions_revoked = Counter(
            "werkstattnetz_consumer_partitions_revoked",
            "Partitions taken from this consumer by a rebalance.",
            ["consumer_group"],
            registry=registry,
        )
        self.relay_published = Counter(
            "werkstattnetz_outbox_published",
            "Outbox rows published and acknowledged by Kafka.",
            ["topic"],
            registry=registry,
        )
        self.relay_failures = Counter(
            "werkstattnetz_outbox_publish_failures",
            "Relay batches that stopped at a failed publish.",
            registry=registry,
        )
        self.outbox_backlog = Gauge(
            "werkstattnetz_outbox_backlog",
            "Outbox rows not yet published (read when scraped).",
            registry=registry,
        )
        self.outbox_oldest_age = Gauge(
            "werkstattnetz_outbox_oldest_unpublished_age_seconds",
            "Age of the oldest unpublished outbox row, 0 when none (read when scraped).",
            registry=registry,
        )
        self.task_up = Gauge(
            "werkstattnetz_background_task_up",
            "1 while a supervised background task runs, 0 while it waits to be restarted.",
            ["task"],
            registry=registry,
        )
        self.task_restarts = Counter(
            "werkstattnetz_background_task_restarts",
            "Restarts of a supervised background task after it died.",
            ["task"],
            registry=registry,
        )
        self.retention_deleted = Counter(
            "werkstattnetz_retention_deleted_rows",
            "Rows removed by the retention job, by table.",
            ["table"],
            registry=registry,
        )

    async def refresh_outbox_gauges(self, pool: asyncpg.Pool) -> None:
        row = await pool.fetchrow(
            """
            SELECT count(*) AS backlog,
                   coalesce(extract(epoch FROM now() - min(created_at)), 0) AS oldest_age_s
            FROM outbox WHERE published_at IS NULL
            """
        )
        if row is not None:
            self.outbox_backlog.set(row["backlog"])
            self.outbox_oldest_age.set(float(row["oldest_age_s"]))
