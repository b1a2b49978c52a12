"""The composition root: topics, the Faust app with its table and agent, the HTTP server, the worker."""

from __future__ import annotations

import asyncio
import logging

import faust
from aiokafka.admin import AIOKafkaAdminClient

from outcomes_live.domain.figures import LiveFigures
from outcomes_live.domain.worker_state import WorkerState
from outcomes_live.entrypoints.http_app import create_http_app
from outcomes_live.entrypoints.http_server import HttpServer
from outcomes_live.entrypoints.stream import CONSUMED_TOPICS, build_faust_app, wire_stream
from outcomes_live.settings import LiveReportingSettings
from werkstattnetz_shared.messaging.topics import dead_letter_topic, ensure_topics

log = logging.getLogger(__name__)


class SourceTopicsDisagree(RuntimeError):
    """The consumed topics have different partition counts, so one participant's events would not
    share a partition number and the table could not be recovered consistently."""


async def prepare_topics(settings: LiveReportingSettings, retry_every_s: float = 2.0) -> int:
    """Create the consumed topics (as the services would) and their dead-letter topics, waiting for
    the broker as long as it takes; return their common partition count, which the table's
    changelog must match."""
    names = [settings.topic(name) for name in CONSUMED_TOPICS]
    while True:
        try:
            await ensure_topics(
                settings.kafka_bootstrap_servers,
                [*names, *(dead_letter_topic(name) for name in names)],
                settings.topic_settings,
            )
            counts = await _partition_counts(settings.kafka_bootstrap_servers, names)
            break
        except Exception as error:  # noqa: BLE001 - whatever the broker answers, wait for it
            log.warning("waiting for Kafka: %s: %s", type(error).__name__, error)
            await asyncio.sleep(retry_every_s)
    if len(set(counts.values())) != 1:
        raise SourceTopicsDisagree(f"the consumed topics differ in partitions: {counts}")
    return next(iter(counts.values()))


async def _partition_counts(bootstrap_servers: str, names: list[str]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10_000)
    await admin.start()
    try:
        described = await admin.describe_topics(names)
    finally:
        await admin.close()
    return {str(topic["topic"]): len(topic["partitions"]) for topic in described}


def build_worker(settings: LiveReportingSettings, partitions: int) -> faust.Worker:
    figures, state = LiveFigures(), WorkerState()
    app = build_faust_app(settings, partitions)
    wire_stream(app, settings, figures, state)
    http = HttpServer(create_http_app(settings, figures, state), settings)
    # Logging stays as configured by `__main__` (JSON lines like the services'), not mode's.
    return faust.Worker(
        app, http, loglevel=settings.log_level, override_logging=False, redirect_stdouts=False
    )
