"""What a parked message looks like: the original bytes, plus headers that say why and whence."""

from __future__ import annotations

from aiokafka import ConsumerRecord

from werkstattnetz_shared.messaging.topics import dead_letter_topic

DeadLetter = tuple[str, bytes | None, bytes | None, list[tuple[str, bytes]]]


def dead_letter_record(
    record: ConsumerRecord[bytes, bytes], consumer_group: str, error: BaseException, attempts: int
) -> DeadLetter:
    reason = f"{type(error).__name__}: {error}"[:4000]
    headers = [
        *(record.headers or ()),
        ("dlq_error_type", type(error).__name__.encode()),
        ("dlq_error_message", reason.encode()),
        ("dlq_source_topic", record.topic.encode()),
        ("dlq_source_partition", str(record.partition).encode()),
        ("dlq_source_offset", str(record.offset).encode()),
        ("dlq_consumer_group", consumer_group.encode()),
        ("dlq_attempts", str(attempts).encode()),
    ]
    return dead_letter_topic(record.topic), record.key, record.value, headers
