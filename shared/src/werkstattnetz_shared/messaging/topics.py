"""Topic names and explicit topic creation (the broker's auto-create stays off).

One topic per producing service, keyed by participant id. A consumer parks messages it cannot
handle in `<topic>.dlq`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

INTAKE_EVENTS = "intake.events"
PLACEMENT_EVENTS = "placement.events"
OUTCOMES_EVENTS = "outcomes.events"
NOTIFICATIONS_EVENTS = "notifications.events"

log = logging.getLogger(__name__)


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlq"


# 12 splits evenly among 1, 2, 3, 4, 6 and 12 replicas of a consumer group; 3 (the old default)
# allowed at most 3 and split 2:1 between two. Partitions of a keyed topic cannot be added later
# without moving keys to other partitions (one participant's events would lose their order).
DEFAULT_PARTITIONS = 12


@dataclass(frozen=True)
class TopicSettings:
    partitions: int = DEFAULT_PARTITIONS
    replication_factor: int = 1
    retention_ms: int = 90 * 24 * 3600 * 1000


async def ensure_topics(bootstrap_servers: str, names: list[str], settings: TopicSettings) -> None:
    """Create the topics that do not exist yet; existing ones are left exactly as they are."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=10_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [name for name in names if name not in existing]
        if not missing:
            return
        new_topics = [
            NewTopic(
                name=name,
                num_partitions=settings.partitions,
                replication_factor=settings.replication_factor,
                topic_configs={"retention.ms": str(settings.retention_ms)},
            )
            for name in missing
        ]
        # Another service may create one between our listing and our request: that is fine.
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(new_topics)
        await _wait_until_listed(admin, missing)
        log.info("created topics", extra={"topics": missing})
    finally:
        await admin.close()


async def _wait_until_listed(admin: AIOKafkaAdminClient, names: list[str], timeout_s: float = 10.0) -> None:
    """Creation returns before the metadata has spread; a consumer started too early only logs
    "topic not found" until it has, so wait a moment for it instead."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not set(names) <= set(await admin.list_topics()):
        if asyncio.get_running_loop().time() > deadline:
            return
        await asyncio.sleep(0.1)
