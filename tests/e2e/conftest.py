"""The whole system as real processes: four services, a real broker, real PostgreSQL, an SMTP sink.

Every run gets fresh databases, its own topic prefix and free ports, so it never collides with a
stack a developer has running.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.kafka_tools import unique_prefix
from werkstattnetz_devstack.ports import find_free_ports
from werkstattnetz_devstack.processes import start_logged_process, stop_process, wait_for_http_ok
from werkstattnetz_devstack.smtp_sink import SmtpSink
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

SERVICES = (
    "intake",
    "placement",
    "outcomes",
    "notifications",
    "outcomes_live",
)  # + the live-reporting worker
STAFF_EMAIL = "team@werkstattnetz.test"


@dataclass
class RunningSystem:
    urls: dict[str, str]
    topic_prefix: str
    bootstrap_servers: str
    mail: SmtpSink
    logs: dict[str, Path] = field(default_factory=dict)

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    def log_tails(self) -> str:
        return "\n".join(f"--- {name}\n{path.read_text()[-3000:]}" for name, path in self.logs.items())


@pytest.fixture(scope="module")
def system(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningSystem]:
    folder: Path = tmp_path_factory.mktemp("e2e")
    # All ports chosen at once: one at a time, the kernel once handed intake's port to notifications
    # as well, and intake's answer to notifications' readiness probe hid that it never started.
    smtp_port, *ports = find_free_ports(1 + len(SERVICES))
    mail = SmtpSink(folder / "mail", port=smtp_port)
    mail.start_subprocess(folder / "smtp.log")
    running = RunningSystem(
        urls={},
        topic_prefix=unique_prefix(),
        bootstrap_servers=kafka_broker.bootstrap_servers,
        mail=mail,
    )
    processes = []
    try:
        for service, port in zip(SERVICES, ports, strict=True):
            environment = os.environ | {
                "DATABASE_URL": postgres_server.create_database(f"e2e_{service}_{uuid.uuid4().hex[:6]}"),
                "KAFKA_BOOTSTRAP_SERVERS": kafka_broker.bootstrap_servers,
                "KAFKA_TOPIC_PREFIX": running.topic_prefix,
                "HTTP_HOST": "127.0.0.1",
                "HTTP_PORT": str(port),
                "ENVIRONMENT": "test",
                "OUTBOX_POLL_INTERVAL_S": "0.2",
                "DEFAULT_WORKSHOP_SEATS": "care=1",
                "OFFER_VALID_HOURS": "0.003",  # 10.8 s: the story lets one offer expire
                "OFFER_EXPIRY_POLL_S": "0.2",
                "FOLLOW_UP_DELAY_S": "3",  # the six-month follow-up, in seconds
                "FOLLOW_UP_POLL_S": "0.2",
                "LIVE_DATA_DIR": str(folder / f"{service}-data"),
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(mail.port),
                "STAFF_EMAIL": STAFF_EMAIL,
                "FRONT_END_BASE_URL": "https://staff.werkstattnetz.test",
                # Offers live 10.8 s: the reminder comes 2.9 s before the end (7.9 s after the offer).
                "OFFER_REMINDER_LEAD_H": "0.0008",
                "CASEWORKER_WAIT_S": "30",
            }
            environment.pop("JWT_SECRET", None)  # the tests sign with the development secret
            log = folder / f"{service}.log"
            running.logs[service] = log
            processes.append(start_logged_process([sys.executable, "-m", service], log, environment))
            running.urls[service] = f"http://127.0.0.1:{port}"
        for service, process in zip(SERVICES, processes, strict=True):
            wait_for_http_ok(f"{running.urls[service]}/health/ready", 90, process, running.logs[service])
        yield running
    finally:
        for process in processes:
            stop_process(process, timeout=15)
        mail.stop()
