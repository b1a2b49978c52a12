"""Checks on deploy/: the compose file as Docker Compose resolves it, and the service Dockerfiles.

No Docker engine is needed: `docker compose config` only parses and interpolates, and the
Dockerfiles are read as text.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from werkstattnetz_shared.settings import DEVELOPMENT_JWT_SECRET

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "deploy" / "compose.yaml"
DOCKER_DIR = REPO_ROOT / "deploy" / "docker"
SERVICE_PORTS = {"intake": 8001, "placement": 8002, "outcomes": 8003, "notifications": 8004}
SERVICES = sorted(SERVICE_PORTS)


@pytest.fixture(scope="module")
def compose_services() -> dict[str, Any]:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("the docker client binary is not installed, so compose cannot resolve the file")
    # Resolve the defaults, not whatever this shell happens to export.
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("COMPOSE_") and name not in {"JWT_SECRET", "ENVIRONMENT"}
    }
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE_FILE), "config", "--format", "json"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, (
        f"docker compose config failed:\n{result.stderr}\n"
        "(without the compose plugin: bash deploy/docker/install-compose-plugin.sh)"
    )
    services: dict[str, Any] = json.loads(result.stdout)["services"]
    return services


def test_kafka_is_one_kraft_node_without_topic_auto_creation(compose_services: dict[str, Any]) -> None:
    kafka = compose_services["kafka"]
    assert kafka["image"] == "apache/kafka:4.1.1"
    environment = kafka["environment"]
    assert environment["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert environment["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert environment["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert environment["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    assert kafka["healthcheck"]["test"]


def test_every_service_has_a_postgres_of_its_own(compose_services: dict[str, Any]) -> None:
    volumes = set()
    for service in SERVICES:
        database = compose_services[f"{service}-db"]
        assert database["image"] == "postgres:15-alpine"
        assert "pg_isready" in " ".join(database["healthcheck"]["test"])
        [volume] = [mount["source"] for mount in database["volumes"] if mount["type"] == "volume"]
        volumes.add(volume)
    assert len(volumes) == len(SERVICES), "two databases share a volume"


@pytest.mark.parametrize("service", SERVICES)
def test_service_waits_for_its_own_database_and_kafka(compose_services: dict[str, Any], service: str) -> None:
    definition = compose_services[service]
    depends_on = definition["depends_on"]
    assert depends_on[f"{service}-db"]["condition"] == "service_healthy"
    assert depends_on["kafka"]["condition"] == "service_healthy"
    assert not [name for name in depends_on if name.endswith("-db") and name != f"{service}-db"]
    assert urlsplit(definition["environment"]["DATABASE_URL"]).hostname == f"{service}-db"
    assert definition["environment"]["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092"


@pytest.mark.parametrize("service", SERVICES)
def test_service_is_built_from_its_dockerfile_and_probed_on_readiness(
    compose_services: dict[str, Any], service: str
) -> None:
    definition = compose_services[service]
    assert Path(definition["build"]["context"]) == REPO_ROOT
    assert definition["build"]["dockerfile"] == f"deploy/docker/{service}.Dockerfile"
    assert definition["environment"]["HTTP_PORT"] == str(SERVICE_PORTS[service])
    assert definition["environment"]["HTTP_HOST"] == "0.0.0.0"
    healthcheck = definition["healthcheck"]
    assert not healthcheck.get("disable", False)
    assert "/health/ready" in " ".join(healthcheck["test"])


@pytest.mark.parametrize("service", SERVICES)
def test_service_runs_read_only_restarting_and_limited(
    compose_services: dict[str, Any], service: str
) -> None:
    definition = compose_services[service]
    assert definition["read_only"] is True
    assert any(mount.split(":")[0] == "/tmp" for mount in definition["tmpfs"])
    assert definition["restart"] in {"always", "unless-stopped", "on-failure"}
    limits = definition["deploy"]["resources"]["limits"]
    assert limits["memory"]
    assert limits["cpus"]


def test_jwt_secret_defaults_to_the_development_secret_production_refuses(
    compose_services: dict[str, Any],
) -> None:
    # Any other placeholder of 32+ characters would be accepted in production.
    for service in SERVICES:
        environment = compose_services[service]["environment"]
        assert environment["JWT_SECRET"] == DEVELOPMENT_JWT_SECRET
        assert environment["ENVIRONMENT"] == "development"


def test_notifications_send_to_the_development_mail_sink(compose_services: dict[str, Any]) -> None:
    environment = compose_services["notifications"]["environment"]
    assert environment["SMTP_HOST"] == "mailpit"
    assert environment["SMTP_PORT"] == "1025"
    assert environment["MAIL_FROM"]
    assert environment["STAFF_EMAIL"]
    assert compose_services["mailpit"]["healthcheck"]["test"]
    assert compose_services["placement"]["environment"]["DEFAULT_WORKSHOP_SEATS"]


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def dockerfile_stages(path: Path) -> list[list[Instruction]]:
    """The instructions of each build stage, with continuation lines joined and comments dropped."""
    stages: list[list[Instruction]] = [[]]
    pending = ""
    for raw_line in path.read_text().splitlines():
        line = raw_line.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        pending = ""
        if keyword.upper() == "FROM":
            stages.append([])
        stages[-1].append(Instruction(keyword.upper(), arguments.strip()))
    return stages[1:]


def copied_sources(instruction: Instruction) -> list[str]:
    """The build-context paths a COPY reads (none when it copies from another stage)."""
    words = instruction.arguments.split()
    if any(word.startswith("--from=") for word in words):
        return []
    operands = [word for word in words if not word.startswith("--")]
    if operands and operands[0].startswith("["):
        operands = json.loads(" ".join(operands))
    return operands[:-1]


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_copies_only_shared_and_its_own_service(service: str) -> None:
    instructions = [
        each for stage in dockerfile_stages(DOCKER_DIR / f"{service}.Dockerfile") for each in stage
    ]
    assert not [each for each in instructions if each.keyword == "ADD"], "use COPY, not ADD"
    sources = {
        source.rstrip("/")
        for each in instructions
        if each.keyword == "COPY"
        for source in copied_sources(each)
    }
    assert sources == {"shared", f"services/{service}"}


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_runtime_stage_is_slim_non_root_and_health_checked(service: str) -> None:
    stages = dockerfile_stages(DOCKER_DIR / f"{service}.Dockerfile")
    assert len(stages) >= 2, "expected a builder and a runtime stage"
    runtime = stages[-1]
    by_keyword: dict[str, list[str]] = {}
    for each in runtime:
        by_keyword.setdefault(each.keyword, []).append(each.arguments)

    assert by_keyword["COPY"] == ["--from=builder /opt/venv /opt/venv"]
    user = by_keyword["USER"][-1].split(":")[0]
    assert user not in {"root", "0"}
    assert by_keyword["EXPOSE"] == [str(SERVICE_PORTS[service])]
    assert "/health/live" in by_keyword["HEALTHCHECK"][-1]
    assert json.loads(by_keyword["CMD"][-1]) == ["python", "-m", service]
    environment = " ".join(by_keyword["ENV"])
    assert "PYTHONDONTWRITEBYTECODE=1" in environment
    assert "PYTHONUNBUFFERED=1" in environment


@pytest.mark.parametrize("service", SERVICES)
def test_build_context_sends_only_shared_and_the_service(service: str) -> None:
    lines = (DOCKER_DIR / f"{service}.Dockerfile.dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert patterns[0] == "*"
    assert [pattern for pattern in patterns if pattern.startswith("!")] == ["!shared", f"!services/{service}"]
    for excluded in ("**/.venv", "**/.cache", "**/tests", ".git"):
        assert excluded in patterns
