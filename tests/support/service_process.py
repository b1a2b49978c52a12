"""One service as a real process (`python -m <service>`) that a test can kill -9 and start again
with exactly the environment it had, as a supervisor (systemd, Kubernetes) would restart it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from werkstattnetz_devstack.processes import start_logged_process, stop_process, wait_for_http_ok

READY_TIMEOUT_S = 90.0


@dataclass
class ServiceProcess:
    """One service: started, killed with SIGKILL and started again with the same environment."""

    name: str
    port: int
    environment: Mapping[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    kills: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return self.environment["DATABASE_URL"]

    def start(self) -> None:
        self.process = start_logged_process([sys.executable, "-m", self.name], self.log, self.environment)

    def wait_until_ready(self, timeout_s: float = READY_TIMEOUT_S) -> None:
        """Blocking: until /health/ready answers 200 (database, Kafka and background tasks up)."""
        wait_for_http_ok(f"{self.url}/health/ready", timeout_s, self.process, self.log)

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no shutdown hook runs, nothing is flushed."""
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        self.kills += 1
        with self.log.open("a", encoding="utf-8") as log:  # so a reader of the log sees where
            log.write(f"=== test: kill -9 at {datetime.now(UTC).isoformat()} ===\n")

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, timeout=15)
            self.process = None
