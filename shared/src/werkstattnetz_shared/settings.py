"""Settings every service reads from its environment; each service extends this class."""

from __future__ import annotations

import re
import socket
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from werkstattnetz_shared.messaging.topics import DEFAULT_PARTITIONS, TopicSettings

_DAY_MS = 24 * 3600 * 1000

DEVELOPMENT_JWT_SECRET = "werkstattnetz-development-secret-change-me-0000"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "INFO"

    database_url: str = Field(description="postgresql://user:password@host:port/database")
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_topic_prefix: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9._-]*$",
        description="Put before every topic and consumer group name; isolates test runs and stages.",
    )
    kafka_topic_partitions: int = Field(
        default=DEFAULT_PARTITIONS,
        ge=1,
        description="Partitions of the topics a service creates: the most replicas a consumer group can "
        "use. Fixed once a keyed topic exists (more partitions later would reorder a participant's events).",
    )
    kafka_topic_replication_factor: int = Field(default=1, ge=1)
    kafka_topic_retention_ms: int = Field(default=90 * 24 * 3600 * 1000, ge=-1)

    kafka_static_membership: bool = Field(
        default=True,
        description="Join consumer groups as a static member, so a restarted instance resumes at once.",
    )
    kafka_group_instance_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9._-]{1,200}$",
        description="This instance's stable id in its consumer groups; defaults to "
        "<service>-<hostname>-<http port>, unique per running instance and stable across restarts.",
    )
    kafka_session_timeout_ms: int = Field(default=10_000, ge=1_000, le=300_000)

    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_backoff_s: float = Field(default=0.2, ge=0)
    consumer_commit_every_messages: int = Field(default=100, ge=1)
    consumer_commit_every_s: float = Field(default=1.0, gt=0)
    outbox_poll_interval_s: float = Field(default=1.0, gt=0)
    outbox_relay_takeover_grace_s: float = Field(
        default=1.0,
        ge=0,
        description="How long a relay that just took the lock waits before publishing, so a deposed "
        "one can still mark what it had in flight.",
    )

    outbox_retention_days: float = Field(default=7, gt=0, description="Published outbox rows kept this long.")
    inbox_retention_days: float = Field(
        default=100,
        gt=0,
        description="Inbox rows kept this long; must exceed the topic retention, so a replay of "
        "anything still on a topic stays a no-op.",
    )
    idempotency_key_retention_hours: float = Field(
        default=24, gt=0, description="How long a retry with the same Idempotency-Key gets the first answer."
    )
    retention_interval_s: float = Field(default=3600, gt=0)

    metrics_token: SecretStr | None = Field(
        default=None,
        min_length=24,
        description="A static bearer token a Prometheus scrape job may use for /metrics "
        "(besides staff tokens with the monitoring role).",
    )

    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "werkstattnetz"
    jwt_audience: str = "werkstattnetz-staff"

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> ServiceSettings:
        if self.environment == "production" and (
            self.jwt_secret == DEVELOPMENT_JWT_SECRET or len(self.jwt_secret) < 32
        ):
            raise ValueError("JWT_SECRET must be set to a secret of at least 32 characters in production")
        return self

    @model_validator(mode="after")
    def _inbox_outlives_the_topics(self) -> ServiceSettings:
        retention_ms = self.kafka_topic_retention_ms
        if retention_ms != -1 and self.inbox_retention_days * _DAY_MS <= retention_ms:
            raise ValueError(
                f"INBOX_RETENTION_DAYS ({self.inbox_retention_days}) must exceed the topic retention "
                f"({retention_ms / _DAY_MS:g} days), or a replayed event would be handled twice"
            )
        return self

    @property
    def inbox_purge_after_days(self) -> float | None:
        """None while topics keep messages for ever: then no inbox row may ever go."""
        return None if self.kafka_topic_retention_ms == -1 else self.inbox_retention_days

    def group_instance_id(self, service_name: str) -> str | None:
        if not self.kafka_static_membership:
            return None
        derived = f"{service_name}-{socket.gethostname()}-{self.http_port}"
        # Kafka allows only these characters in an instance id.
        return self.kafka_group_instance_id or re.sub(r"[^A-Za-z0-9._-]", "-", derived)[:200]

    def topic(self, name: str) -> str:
        """The full topic (or consumer group) name under this deployment's prefix."""
        return f"{self.kafka_topic_prefix}{name}"

    @property
    def topic_settings(self) -> TopicSettings:
        return TopicSettings(
            partitions=self.kafka_topic_partitions,
            replication_factor=self.kafka_topic_replication_factor,
            retention_ms=self.kafka_topic_retention_ms,
        )
