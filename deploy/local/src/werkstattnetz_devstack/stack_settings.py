"""What the local stack runs and where: the service table and settings read from the environment."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from werkstattnetz_shared.settings import DEVELOPMENT_JWT_SECRET

from werkstattnetz_devstack.kafka_runtime import DEFAULT_KAFKA_VERSION
from werkstattnetz_devstack.paths import cache_folder


@dataclass(frozen=True)
class ServiceDefinition:
    """One service: its name (also its database, role and password), module and port variable."""

    name: str
    module: str
    port_variable: str
    default_port: int
    database_of: str | None = None
    """Set for a process that shares another service's distribution and keeps no database of its
    own: it is handed that service's database URL (and ignores it) instead of getting one."""

    @property
    def has_database(self) -> bool:
        return self.database_of is None


# The one place that lists the services; everything else iterates over it.
SERVICES = (
    ServiceDefinition("intake", "intake", "INTAKE_PORT", 8001),
    ServiceDefinition("placement", "placement", "PLACEMENT_PORT", 8002),
    ServiceDefinition("outcomes", "outcomes", "OUTCOMES_PORT", 8003),
    ServiceDefinition("notifications", "notifications", "NOTIFICATIONS_PORT", 8004),
    # The live-reporting worker (faust-streaming, part of the outcomes distribution): no database,
    # its tables live in Kafka changelog topics.
    ServiceDefinition(
        "outcomes-live", "outcomes_live", "OUTCOMES_LIVE_PORT", 8005, database_of="outcomes"
    ),
)


def integer_from(environment: Mapping[str, str], variable: str, default: int) -> int:
    """Read a port number, naming the variable when it is not a number."""
    text = environment.get(variable, str(default))
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{variable} must be a port number, not {text!r}") from None


@dataclass(frozen=True)
class StackSettings:
    """Ports, versions, secrets and folders of one local stack."""

    cache: Path
    host: str = "127.0.0.1"
    postgres_port: int = 5432
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    smtp_port: int = 2525
    kafka_version: str = DEFAULT_KAFKA_VERSION
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    log_level: str = "INFO"
    staff_email: str = "staff@werkstattnetz.localhost"
    service_ports: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_environment(cls, environment: Mapping[str, str] | None = None) -> "StackSettings":
        """Settings from environment variables, each with a development default."""
        env = os.environ if environment is None else environment
        return cls(
            cache=Path(env["WERKSTATTNETZ_CACHE"]).resolve()
            if env.get("WERKSTATTNETZ_CACHE")
            else cache_folder(),
            postgres_port=integer_from(env, "POSTGRES_PORT", 5432),
            kafka_port=integer_from(env, "KAFKA_PORT", 9092),
            kafka_controller_port=integer_from(env, "KAFKA_CONTROLLER_PORT", 9093),
            smtp_port=integer_from(env, "SMTP_PORT", 2525),
            kafka_version=env.get("KAFKA_VERSION", DEFAULT_KAFKA_VERSION),
            jwt_secret=env.get("JWT_SECRET", DEVELOPMENT_JWT_SECRET),
            log_level=env.get("LOG_LEVEL", "INFO"),
            staff_email=env.get("STAFF_EMAIL", "staff@werkstattnetz.localhost"),
            service_ports={
                service.name: integer_from(env, service.port_variable, service.default_port)
                for service in SERVICES
            },
        )

    @property
    def stack_folder(self) -> Path:
        """Data and state of the development stack (tests use `<cache>/test` instead)."""
        return self.cache / "stack"

    @property
    def logs_folder(self) -> Path:
        """Log files of the services, the SMTP sink and the detached stack itself."""
        return self.cache / "logs"

    @property
    def mail_folder(self) -> Path:
        """Where the SMTP sink stores every mail as an `.eml` file."""
        return self.cache / "mail"

    @property
    def kafka_bootstrap_servers(self) -> str:
        """The broker address handed to the services."""
        return f"{self.host}:{self.kafka_port}"

    def database_url(self, service: ServiceDefinition) -> str:
        """The service's own database, reached with its own role."""
        name = service.database_of or service.name
        return f"postgresql://{name}:{name}@{self.host}:{self.postgres_port}/{name}"

    def service_url(self, service: ServiceDefinition) -> str:
        """The service's HTTP base URL."""
        return f"http://{self.host}:{self.service_ports[service.name]}"

    def service_environment(self, service: ServiceDefinition) -> dict[str, str]:
        """The variables one service reads, on top of whatever the caller's environment holds."""
        variables = {
            "DATABASE_URL": self.database_url(service),
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap_servers,
            "HTTP_HOST": self.host,
            "HTTP_PORT": str(self.service_ports[service.name]),
            "ENVIRONMENT": "development",
            "JWT_SECRET": self.jwt_secret,
            "LOG_LEVEL": self.log_level,
            # Service logs go to files; unbuffered output keeps them current.
            "PYTHONUNBUFFERED": "1",
        }
        if service.name == "outcomes-live":
            variables["LIVE_DATA_DIR"] = str(self.stack_folder / "outcomes-live")
        if service.name == "notifications":
            variables |= {
                "SMTP_HOST": self.host,
                "SMTP_PORT": str(self.smtp_port),
                "STAFF_EMAIL": self.staff_email,
            }
        return {**os.environ, **variables}
