"""The Faust side: the participant-facts table and the one agent that feeds it.

The agent is a thin entry point: bytes → envelope → fact (adapters) → the participant's facts in
the table → the running totals (domain). It runs at concurrency 1 (faust-streaming can commit past
an in-flight message at higher concurrency) and treats Faust as at-least-once: a redelivered event
adds a fact already present and writes nothing. Table keys are participant ids, which are also the
source topics' keys, so every write goes to the changelog partition of the event's own partition
and the table is recovered from its changelog topic after a restart. Keys and values are plain
JSON (str, dict): no `__faust` metadata on the changelog. The Kafka transport is Faust's own with
the gaps closed that lost events after a kill -9 (`adapters.faust_transport`).
"""

from __future__ import annotations

import logging
from typing import Any

import faust
from faust.types import TableT
from pydantic import ValidationError

from outcomes_live.adapters.event_facts import EventBreaksContract, fact_of
from outcomes_live.adapters.faust_transport import Transport
from outcomes_live.domain.facts import ParticipantFacts
from outcomes_live.domain.figures import LiveFigures
from outcomes_live.domain.worker_state import WorkerState
from outcomes_live.settings import LiveReportingSettings
from werkstattnetz_shared.events import EventEnvelope
from werkstattnetz_shared.messaging.topics import (
    INTAKE_EVENTS,
    OUTCOMES_EVENTS,
    PLACEMENT_EVENTS,
    dead_letter_topic,
)

log = logging.getLogger(__name__)

CONSUMED_TOPICS = (INTAKE_EVENTS, PLACEMENT_EVENTS, OUTCOMES_EVENTS)
PARTICIPANT_FACTS_TABLE = "participant-facts"


def build_faust_app(settings: LiveReportingSettings, partitions: int) -> faust.App:
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{server.strip()}" for server in settings.kafka_bootstrap_servers.split(",")],
        store=settings.live_table_store,
        datadir=str(settings.live_data_dir),
        # Events are the services' JSON envelopes: read as bytes and parsed with the shared contracts.
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=partitions,
        topic_replication_factor=settings.kafka_topic_replication_factor,
        consumer_auto_offset_reset="earliest",
        # A static member, as the services are: restarted after a kill -9 under the same id it gets
        # its partitions back at once instead of waiting out the dead member's session.
        consumer_group_instance_id=settings.group_instance_id,
        broker_session_timeout=settings.kafka_session_timeout_ms / 1000,
        broker_commit_interval=settings.live_commit_interval_s,
        processing_guarantee="at_least_once",
        # Changelog writes are batched for a few milliseconds; before each offset commit the
        # transport waits until the broker has acknowledged every one of them.
        producer_linger=0.01,
        # An agent that fails on an event must not have it acknowledged (and lost): the worker stops
        # instead, and the event is handled again after the restart.
        stream_ack_exceptions=False,
        web_enabled=False,
        topic_allow_declare=True,
    )
    # Set before anything touches `app.transport` (Faust creates it lazily, on first use).
    app.transport = Transport(app.conf.broker_consumer, app)
    return app


def wire_stream(
    app: faust.App, settings: LiveReportingSettings, figures: LiveFigures, state: WorkerState
) -> TableT[str, dict[str, Any]]:
    # No key or value type: plain JSON both ways (a type would make Faust look for a model).
    participants = app.Table(PARTICIPANT_FACTS_TABLE, default=None)
    source = app.topic(*(settings.topic(name) for name in CONSUMED_TOPICS))

    @participants.on_recover
    async def rebuild_totals() -> None:
        # After (re)covery the table holds every fact of the partitions this worker owns; the
        # running totals are a function of them, so they are recomputed rather than trusted.
        figures.rebuild(ParticipantFacts.from_json(raw) for raw in participants.values())
        state.recovered = True
        log.info("live figures rebuilt from the tables", extra={"participants": len(participants)})

    @app.agent(source, concurrency=1)
    async def count_events(stream: faust.StreamT[Any]) -> None:
        async for event in stream.events():
            try:
                envelope = EventEnvelope.from_json_bytes(event.value)
                fact = fact_of(envelope)
            except (ValidationError, EventBreaksContract, ValueError) as error:
                await _dead_letter(app, settings, event, error)
                continue
            if fact is None:
                continue
            key = str(envelope.participant_id)
            before = ParticipantFacts.from_json(participants.get(key))
            after = before.with_fact(fact)
            if after is before:
                state.redeliveries += 1
                continue
            participants[key] = after.to_json()
            figures.record_change(before, after)
            state.events_counted += 1

    return participants


async def _dead_letter(app: faust.App, settings: LiveReportingSettings, event: Any, error: Exception) -> None:
    """Park a message the worker cannot read in `<topic>.dlq` with the reason, as the services do."""
    message = event.message
    headers = {
        "dlq_error_type": type(error).__name__,
        "dlq_error_message": str(error)[:1000],
        "dlq_source_topic": message.topic,
        "dlq_source_partition": str(message.partition),
        "dlq_source_offset": str(message.offset),
        "dlq_consumer_group": settings.app_id,
    }
    log.warning(
        "dead-lettering an unreadable event",
        extra={"topic": message.topic, "offset": message.offset, "error": headers["dlq_error_message"]},
    )
    topic = app.topic(dead_letter_topic(message.topic), key_serializer="raw", value_serializer="raw")
    await topic.send(key=message.key, value=event.value, headers={k: v.encode() for k, v in headers.items()})
