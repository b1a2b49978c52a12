"""Settings refuse unsafe production secrets; JSON logs carry the event and correlation ids."""

import json
import logging
import uuid

import pytest
from pydantic import ValidationError

from werkstattnetz_shared.logging import JsonFormatter, bind_event_context
from werkstattnetz_shared.settings import ServiceSettings

DSN = "postgresql://u:p@localhost/db"


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValidationError, match="JWT_SECRET"):
        ServiceSettings(database_url=DSN, environment="production")


def test_production_accepts_a_long_secret() -> None:
    settings = ServiceSettings(database_url=DSN, environment="production", jwt_secret="k" * 48)
    assert settings.environment == "production"


def test_topic_prefix_is_applied_to_names() -> None:
    settings = ServiceSettings(database_url=DSN, kafka_topic_prefix="staging.")
    assert settings.topic("intake.events") == "staging.intake.events"


def test_json_log_lines_carry_ids_and_extras() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "placed %s", ("someone",), None)
    record.work_area = "care"
    event_id, correlation_id = uuid.uuid4(), uuid.uuid4()
    with bind_event_context(event_id, correlation_id):
        line = json.loads(JsonFormatter("placement").format(record))
    assert line["message"] == "placed someone"
    assert line["service"] == "placement"
    assert line["event_id"] == str(event_id)
    assert line["correlation_id"] == str(correlation_id)
    assert line["work_area"] == "care"
    outside = json.loads(JsonFormatter("placement").format(record))
    assert "event_id" not in outside


def test_the_inbox_must_outlive_the_topics() -> None:
    with pytest.raises(ValueError, match="INBOX_RETENTION_DAYS"):
        ServiceSettings(database_url="postgresql://x", inbox_retention_days=30)  # topics keep 90 days
    settings = ServiceSettings(database_url="postgresql://x")
    assert settings.inbox_purge_after_days == 100
    forever = ServiceSettings(database_url="postgresql://x", kafka_topic_retention_ms=-1)
    assert forever.inbox_purge_after_days is None


def test_the_group_instance_id_is_stable_per_instance_and_can_be_switched_off() -> None:
    settings = ServiceSettings(database_url="postgresql://x", http_port=8002)
    derived = settings.group_instance_id("placement")
    assert derived is not None
    assert derived == settings.group_instance_id("placement")
    assert derived.startswith("placement-")
    assert derived.endswith("-8002")
    assert (
        ServiceSettings(database_url="postgresql://x", kafka_group_instance_id="p-0").group_instance_id("x")
        == "p-0"
    )
    assert (
        ServiceSettings(database_url="postgresql://x", kafka_static_membership=False).group_instance_id("x")
        is None
    )
