"""The four services as real processes that the chaos test can kill -9 and start again.

A restarted service gets exactly the environment it had: the same database, topic prefix and HTTP
port, and so the same Kafka static group instance id (`<service>-<host>-<port>`), as a service
restarted by its supervisor (systemd, Kubernetes) would.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import asyncpg

from tests.support.kafka_tools import unique_prefix
from tests.support.service_process import ServiceProcess
from werkstattnetz_devstack.ports import find_free_ports
from werkstattnetz_devstack.smtp_sink import SmtpSink
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

SERVICES = ("intake", "placement", "outcomes", "notifications")
STAFF_EMAIL = "team@werkstattnetz.test"


@dataclass
class ChaosSystem:
    services: dict[str, ServiceProcess]
    mail: SmtpSink
    topic_prefix: str
    bootstrap_servers: str
    folder: Path
    infrastructure_crashes: dict[str, int] = field(default_factory=dict)

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    def count_crash(self, what: str) -> None:
        self.infrastructure_crashes[what] = self.infrastructure_crashes.get(what, 0) + 1

    def url(self, service: str) -> str:
        return self.services[service].url

    def log_excerpts(self, lines: int = 30) -> str:
        parts = []
        for service in self.services.values():
            text = service.log.read_text(encoding="utf-8", errors="replace").splitlines()
            parts.append(f"--- {service.name} ({service.log})\n" + "\n".join(text[-lines:]))
        return "\n".join(parts)


def service_environment(
    *,
    port: int,
    database_url: str,
    kafka: KafkaForTests,
    topic_prefix: str,
    smtp_port: int,
    default_workshop_seats: str,
) -> dict[str, str]:
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": topic_prefix,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port),
        "ENVIRONMENT": "test",
        "OUTBOX_POLL_INTERVAL_S": "0.2",
        "CONSUMER_RETRY_BACKOFF_S": "0.1",
        "DEFAULT_WORKSHOP_SEATS": default_workshop_seats,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "STAFF_EMAIL": STAFF_EMAIL,
        "MAIL_POLL_INTERVAL_S": "0.2",
        "MAIL_RETRY_BACKOFF_S": "0.5",
        "MAIL_RETRY_BACKOFF_MAX_S": "2",
        "CASEWORKER_WAIT_S": "1",  # nobody is assigned here: the office is told after a second
    }
    environment.pop("JWT_SECRET", None)  # the tests sign with the development secret
    environment.pop("KAFKA_GROUP_INSTANCE_ID", None)  # derived from the port: stable across restarts
    return environment


async def keep_commits_across_crashes(postgres: PostgresForTests, database_url: str) -> None:
    """The test cluster runs with synchronous_commit=off for speed, and an immediate restart then
    loses the last acknowledged commits (as a crash would). Production keeps the default (on);
    so do the chaos test's databases, or it would report losses PostgreSQL itself caused."""
    name = urlparse(database_url).path.lstrip("/")
    admin = await asyncpg.connect(postgres.admin_dsn)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = on')
    finally:
        await admin.close()


@contextlib.asynccontextmanager
async def running_chaos_system(
    kafka: KafkaForTests, postgres: PostgresForTests, folder: Path, *, default_workshop_seats: str
) -> AsyncIterator[ChaosSystem]:
    (smtp_port, *ports) = find_free_ports(1 + len(SERVICES))
    mail = SmtpSink(folder / "mail", port=smtp_port)
    mail.start_subprocess(folder / "smtp.log")
    system = ChaosSystem({}, mail, unique_prefix(), kafka.bootstrap_servers, folder)
    try:
        for service, port in zip(SERVICES, ports, strict=True):
            database_url = await asyncio.to_thread(postgres.create_database, f"chaos_{service}")
            await keep_commits_across_crashes(postgres, database_url)
            environment = service_environment(
                port=port,
                database_url=database_url,
                kafka=kafka,
                topic_prefix=system.topic_prefix,
                smtp_port=smtp_port,
                default_workshop_seats=default_workshop_seats,
            )
            system.services[service] = ServiceProcess(service, port, environment, folder / f"{service}.log")
            system.services[service].start()
        for service_process in system.services.values():
            await asyncio.to_thread(service_process.wait_until_ready)
        yield system
    finally:
        for service_process in system.services.values():
            await asyncio.to_thread(service_process.stop)
        mail.stop()
