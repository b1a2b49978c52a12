"""Settings every service reads from its environment; each service extends this class."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from werkstattnetz_shared.messaging.topics import TopicSettings

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
    kafka_topic_partitions: int = Field(default=3, ge=1)
    kafka_topic_replication_factor: int = Field(default=1, ge=1)
    kafka_topic_retention_ms: int = Field(default=90 * 24 * 3600 * 1000, ge=-1)

    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_backoff_s: float = Field(default=0.2, ge=0)
    outbox_poll_interval_s: float = Field(default=1.0, gt=0)

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
