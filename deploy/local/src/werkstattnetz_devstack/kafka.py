"""A single-node Kafka broker (KRaft) as a local Java process, with its data kept on disk."""

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from werkstattnetz_devstack.asyncio_bridge import run_coroutine_blocking
from werkstattnetz_devstack.kafka_config import (
    logging_jvm_option,
    logging_properties,
    new_cluster_id,
    server_properties,
)
from werkstattnetz_devstack.kafka_runtime import DEFAULT_KAFKA_VERSION, ensure_kafka_runtime
from werkstattnetz_devstack.paths import cache_folder
from werkstattnetz_devstack.ports import ensure_port_is_free
from werkstattnetz_devstack.processes import (
    StartupFailedError,
    process_is_alive,
    raise_if_process_died,
    signal_process_group,
    start_logged_process,
    stop_process,
    stop_process_group,
    tail_of_file,
    wait_for_tcp_port,
)

__all__ = ["DEFAULT_KAFKA_VERSION", "KafkaBroker", "wait_until_kafka_answers"]

JVM_OPTIONS = ["-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-Djava.awt.headless=true"]


class KafkaBroker:
    """One broker+controller node listening on 127.0.0.1:`port`, storing data in `data_dir`."""

    def __init__(
        self,
        data_dir: Path,
        port: int = 9092,
        controller_port: int = 9093,
        *,
        version: str = DEFAULT_KAFKA_VERSION,
        cache: Path | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self.controller_port = controller_port
        self.version = version
        self.host = host
        self.cache = cache or cache_folder()
        self.log_file = self.data_dir / "logs" / "kafka.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        """The address clients connect to."""
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The broker's process id while it runs."""
        return self._process.pid if self.is_running and self._process is not None else None

    @property
    def is_running(self) -> bool:
        """Whether the broker process we started is still alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Download Kafka if needed, format the storage once and start the broker process."""
        if self.is_running:
            return
        libs = ensure_kafka_runtime(self.cache, self.version)
        self.stop_leftover_from_earlier_run()
        for port in (self.port, self.controller_port):
            ensure_port_is_free(self.host, port, f"Kafka {self.version}", "KAFKA_PORT")
        properties = self._write_configuration()
        self._format_storage_once(libs, properties)
        command = [*self._java_command(libs), "kafka.Kafka", str(properties)]
        self._process = start_logged_process(command, self.data_dir / "logs" / "stdout.log")
        (self.data_dir / "broker.pid").write_text(f"{self._process.pid}\n", encoding="utf-8")

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        """Wait until the port accepts and an admin client can list topics."""
        deadline = time.monotonic() + timeout
        wait_for_tcp_port(self.host, self.port, timeout, self._process, self.log_file)
        while not run_coroutine_blocking(admin_can_list_topics(self.bootstrap_servers)):
            raise_if_process_died(self._process, self.bootstrap_servers, self.log_file)
            if time.monotonic() > deadline:
                raise StartupFailedError(
                    f"Kafka at {self.bootstrap_servers} did not answer an admin request "
                    f"within {timeout:.0f}s\n{tail_of_file(self.log_file)}"
                )
            time.sleep(0.3)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the broker (a clean shutdown), SIGKILL it when it takes longer than `timeout`."""
        if self._process is not None:
            stop_process(self._process, timeout)
            self._process = None
        (self.data_dir / "broker.pid").unlink(missing_ok=True)

    def restart(self, timeout: float = 60.0) -> None:
        """Stop and start again on the same port and data, e.g. to simulate a Kafka outage."""
        self.stop()
        self.start()
        self.wait_until_ready(timeout)

    def kill(self, timeout: float = 30.0) -> None:
        """SIGKILL the broker, as a crash would: no controlled shutdown, no clean log close.

        What it acknowledged is in the operating system's page cache already, so nothing
        acknowledged is lost; the next start recovers the unflushed log segments.
        """
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            signal_process_group(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
        (self.data_dir / "broker.pid").unlink(missing_ok=True)

    def kill_and_restart(self, timeout: float = 60.0) -> None:
        """Crash the broker (SIGKILL) and start it again on the same data and ports; returns once
        it answers admin requests again."""
        self.kill()
        self.start()
        self.wait_until_ready(timeout)

    def _write_configuration(self) -> Path:
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        properties = self.data_dir / "server.properties"
        properties.write_text(
            server_properties(
                self.version, self.host, self.port, self.controller_port, self.data_dir / "log"
            ),
            encoding="utf-8",
        )
        (self.data_dir / "logging.properties").write_text(
            logging_properties(self.version, self.log_file), encoding="utf-8"
        )
        return properties

    def _format_storage_once(self, libs: Path, properties: Path) -> None:
        # The cluster id must stay the same across restarts, or Kafka refuses the old storage.
        id_file = self.data_dir / "cluster-id"
        if not id_file.exists():
            id_file.write_text(new_cluster_id() + "\n", encoding="utf-8")
        if (self.data_dir / "log" / "meta.properties").exists():
            return  # formatting again would only cost a JVM start
        cluster_id = id_file.read_text(encoding="utf-8").strip()
        command = [*self._java_command(libs), "kafka.tools.StorageTool", "format"]
        command += ["-t", cluster_id, "-c", str(properties), "--ignore-formatted"]
        finished = subprocess.run(command, capture_output=True, text=True, check=False)
        if finished.returncode != 0:
            raise StartupFailedError(
                f"formatting Kafka storage in {self.data_dir} failed:\n"
                f"{finished.stdout}{finished.stderr}"
            )

    def _java_command(self, libs: Path) -> list[str]:
        logging_config = self.data_dir / "logging.properties"
        return [
            "java",
            *JVM_OPTIONS,
            f"-Dkafka.logs.dir={self.data_dir / 'logs'}",
            logging_jvm_option(self.version, logging_config),
            "-cp",
            f"{libs}/*",
        ]

    def stop_leftover_from_earlier_run(self) -> None:
        """Stop a broker that a killed test run or stack left on our data folder and ports."""
        pid_file = self.data_dir / "broker.pid"
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text(encoding="utf-8").strip() or 0)
        if pid and process_is_alive(pid) and is_kafka_process(pid):
            print(f"[devstack] stopping Kafka left over from an earlier run (pid {pid})")
            stop_process_group(pid)
        pid_file.unlink(missing_ok=True)


async def admin_can_list_topics(bootstrap_servers: str) -> bool:
    """Whether a broker answers an admin request (an open port alone can mean "still starting")."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=3000)
    try:
        await asyncio.wait_for(admin.start(), 5.0)
        await asyncio.wait_for(admin.list_topics(), 5.0)
    except Exception:  # any failure simply means "not ready yet"
        return False
    finally:
        await admin.close()
    return True


def wait_until_kafka_answers(bootstrap_servers: str, timeout: float = 60.0) -> None:
    """Wait for any broker, e.g. one we did not start, to answer admin requests."""
    deadline = time.monotonic() + timeout
    while not run_coroutine_blocking(admin_can_list_topics(bootstrap_servers)):
        if time.monotonic() > deadline:
            raise StartupFailedError(f"Kafka at {bootstrap_servers} did not answer in {timeout}s")
        time.sleep(0.5)


def is_kafka_process(pid: int) -> bool:
    """Whether `pid` is a Kafka broker, so a recycled pid is never killed by mistake."""
    try:
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return os.name != "posix"
    return b"kafka.Kafka" in command_line
