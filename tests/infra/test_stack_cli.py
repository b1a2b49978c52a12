"""`python -m werkstattnetz_devstack up|status|down` with stand-in services on free ports."""

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from werkstattnetz_devstack.kafka_runtime import DEFAULT_KAFKA_VERSION, ensure_kafka_runtime
from werkstattnetz_devstack.paths import cache_folder
from werkstattnetz_devstack.ports import find_free_ports, port_accepts_connections
from werkstattnetz_devstack.postgres import PostgresServer
from werkstattnetz_devstack.stack_settings import SERVICES

# A service that proves its DATABASE_URL works, records its environment, then answers readiness.
STAND_IN_SERVICE = textwrap.dedent(
    """
    import asyncio, http.server, json, os, pathlib
    import asyncpg

    async def check_database():
        connection = await asyncpg.connect(os.environ["DATABASE_URL"])
        await connection.close()

    asyncio.run(check_database())
    record = pathlib.Path(os.environ["STAND_IN_RECORDS"]) / f"{__package__}.json"
    record.write_text(json.dumps(dict(os.environ)))

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/health/ready" else 404)
            self.end_headers()

    address = (os.environ["HTTP_HOST"], int(os.environ["HTTP_PORT"]))
    http.server.HTTPServer(address, Health).serve_forever()
    """
)

local_tools_missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


@pytest.fixture
def stack_environment(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a stack in its own cache folder, on free ports, with stand-in services."""
    real_cache = cache_folder()
    # Under the project cache, not /tmp/pytest-of-root: the postgres user must reach the data.
    cache = real_cache / "test" / f"stack-{os.getpid()}"
    ensure_kafka_runtime(real_cache, DEFAULT_KAFKA_VERSION)
    cache.mkdir(parents=True, exist_ok=True)
    kafka_runtime = f"kafka-{DEFAULT_KAFKA_VERSION}"
    (cache / kafka_runtime).symlink_to(real_cache / kafka_runtime)  # no second download
    stand_ins = tmp_path / "stand_ins"
    for service in SERVICES:
        (stand_ins / service.module).mkdir(parents=True)
        (stand_ins / service.module / "__init__.py").write_text("")
        (stand_ins / service.module / "__main__.py").write_text(STAND_IN_SERVICE)
    environment = {
        **os.environ,
        "WERKSTATTNETZ_CACHE": str(cache),
        "PYTHONPATH": os.pathsep.join([str(stand_ins), os.environ.get("PYTHONPATH", "")]),
        "STAND_IN_RECORDS": str(tmp_path),
        "KAFKA_VERSION": DEFAULT_KAFKA_VERSION,
    }
    variables = ["POSTGRES_PORT", "KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "SMTP_PORT"]
    variables += [service.port_variable for service in SERVICES]
    for variable, port in zip(variables, find_free_ports(len(variables)), strict=True):
        environment[variable] = str(port)
    try:
        yield environment
    finally:
        devstack(environment, "down")
        # The cluster may live outside the cache when the checkout is root-only (reachable_data_dir).
        PostgresServer(cache / "stack" / "postgres").remove_data()
        shutil.rmtree(cache, ignore_errors=True)


def devstack(environment: dict[str, str], command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "werkstattnetz_devstack", command],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.skipif(bool(local_tools_missing), reason=f"needs {local_tools_missing} on PATH")
def test_up_starts_everything_and_down_stops_it(stack_environment: dict[str, str], tmp_path: Path) -> None:
    started = devstack(stack_environment, "up")
    assert started.returncode == 0, started.stdout + started.stderr

    status = devstack(stack_environment, "status")
    assert status.returncode == 0
    for service in SERVICES:
        assert f"http://127.0.0.1:{stack_environment[service.port_variable]}" in status.stdout
    notifications = json.loads((tmp_path / "notifications.json").read_text())
    assert notifications["SMTP_PORT"] == stack_environment["SMTP_PORT"]
    assert notifications["KAFKA_BOOTSTRAP_SERVERS"].endswith(stack_environment["KAFKA_PORT"])
    assert notifications["DATABASE_URL"].startswith("postgresql://notifications:notifications@")

    stopped = devstack(stack_environment, "down")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert devstack(stack_environment, "status").returncode == 1
    for variable in ("POSTGRES_PORT", "KAFKA_PORT", "SMTP_PORT", "INTAKE_PORT"):
        assert not port_accepts_connections("127.0.0.1", int(stack_environment[variable]))


@pytest.mark.skipif(bool(local_tools_missing), reason=f"needs {local_tools_missing} on PATH")
def test_up_fails_clearly_when_a_port_is_taken(stack_environment: dict[str, str]) -> None:
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", int(stack_environment["OUTCOMES_PORT"])))
        squatter.listen()
        started = devstack(stack_environment, "up")

    assert started.returncode == 1
    assert "OUTCOMES_PORT" in started.stdout
