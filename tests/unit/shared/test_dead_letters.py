"""A parked message keeps its bytes and says why and whence in its headers."""

from aiokafka import ConsumerRecord

from werkstattnetz_shared.messaging.dead_letters import dead_letter_record


def test_dead_letter_names_error_source_and_attempts() -> None:
    record: ConsumerRecord[bytes, bytes] = ConsumerRecord(
        topic="intake.events",
        partition=2,
        offset=41,
        timestamp=0,
        timestamp_type=0,
        key=b"k",
        value=b"not json",
        checksum=None,
        serialized_key_size=1,
        serialized_value_size=8,
        headers=[("ce_id", b"abc")],
    )
    topic, key, value, headers = dead_letter_record(record, "placement", ValueError("bad data"), attempts=3)
    named = dict(headers)
    assert topic == "intake.events.dlq"
    assert (key, value) == (b"k", b"not json")
    assert named["ce_id"] == b"abc"
    assert named["dlq_error_type"] == b"ValueError"
    assert named["dlq_error_message"] == b"ValueError: bad data"
    assert named["dlq_source_topic"] == b"intake.events"
    assert named["dlq_source_partition"] == b"2"
    assert named["dlq_source_offset"] == b"41"
    assert named["dlq_consumer_group"] == b"placement"
    assert named["dlq_attempts"] == b"3"
