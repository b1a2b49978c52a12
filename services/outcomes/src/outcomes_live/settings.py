"""The live-reporting worker's settings, from the environment (same names as the services')."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from werkstattnetz_shared.messaging.topics import DEFAULT_PARTITIONS, TopicSettings
from werkstattnetz_shared.settings import DEVELOPMENT_JWT_SECRET


class LiveReportingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8005, ge=1, le=65535)
    log_level: str = "INFO"

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_topic_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9._-]*$")
    kafka_topic_partitions: int = Field(default=DEFAULT_PARTITIONS, ge=1)
    kafka_topic_replication_factor: int = Field(default=1, ge=1)
    kafka_topic_retention_ms: int = Field(default=90 * 24 * 3600 * 1000, ge=-1)

    kafka_group_instance_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9._-]{1,200}$",
        description="This instance's stable id in its consumer group; defaults to "
        "outcomes-live-<hostname>-<http port>.",
    )
    kafka_session_timeout_ms: int = Field(default=10_000, ge=6_000, le=300_000)

    live_data_dir: Path = Field(
        default=Path(".cache/outcomes-live"),
        description="Faust's data directory (table stores); the tables themselves are recovered "
        "from their changelog topics, so it may be empty or lost.",
    )
    live_table_store: str = Field(
        default="memory://",
        description="Faust table store URL; memory:// rebuilds the tables from the changelog at start.",
    )
    live_commit_interval_s: float = Field(
        default=1.0, gt=0, description="How often handled offsets are committed."
    )

    metrics_token: SecretStr | None = Field(default=None, min_length=24)
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "werkstattnetz"
    jwt_audience: str = "werkstattnetz-staff"

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> LiveReportingSettings:
        if self.environment == "production" and (
            self.jwt_secret == DEVELOPMENT_JWT_SECRET or len(self.jwt_secret) < 32
        ):
            raise ValueError("JWT_SECRET must be set to a secret of at least 32 characters in production")
        return self

    def topic(self, name: str) -> str:
        return f"{self.kafka_topic_prefix}{name}"

    @property
    def app_id(self) -> str:
        """Faust's app id: the consumer group and the prefix of the changelog topics."""
        return self.topic("outcomes-live")

    @property
    def group_instance_id(self) -> str:
        derived = f"outcomes-live-{socket.gethostname()}-{self.http_port}"
        # Kafka allows only these characters in an instance id.
        return self.kafka_group_instance_id or re.sub(r"[^A-Za-z0-9._-]", "-", derived)[:200]

    @property
    def topic_settings(self) -> TopicSettings:
        return TopicSettings(
            partitions=self.kafka_topic_partitions,
            replication_factor=self.kafka_topic_replication_factor,
            retention_ms=self.kafka_topic_retention_ms,
        )
