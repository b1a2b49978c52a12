"""Starts the whole local stack in order (PostgreSQL, Kafka, SMTP sink, services) and stops it."""

import contextlib
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from werkstattnetz_devstack.kafka import KafkaBroker
from werkstattnetz_devstack.paths import find_repository_root
from werkstattnetz_devstack.ports import PortTakenError, ensure_port_is_free
from werkstattnetz_devstack.postgres import PostgresServer
from werkstattnetz_devstack.processes import start_logged_process, stop_process, wait_for_http_ok
from werkstattnetz_devstack.smtp_sink import SmtpSink
from werkstattnetz_devstack.stack_settings import SERVICES, StackSettings

SERVICE_READY_TIMEOUT = 120.0


@dataclass
class RunningComponent:
    """What `status` shows about one component, also written to the state file."""

    name: str
    address: str
    pid: int | None
    log: str
    details: str = ""

    def describe(self) -> str:
        """One line for people: where it runs and where to look."""
        details = f"  {self.details}" if self.details else ""
        return f"{self.name:<14} {self.address:<32} log {self.log}{details}"


class LocalStack:
    """The development stack; `start` is all-or-nothing, `stop` undoes whatever was started."""

    def __init__(self, settings: StackSettings) -> None:
        self.settings = settings
        self.components: list[RunningComponent] = []
        self.service_processes: dict[str, subprocess.Popen[bytes]] = {}
        self._undo = contextlib.ExitStack()
        self.state_file = settings.stack_folder / "state.json"

    def start(self) -> None:
        """Start every component and wait until each is ready, or stop them all and raise."""
        self._ensure_ports_are_free()
        try:
            self._start_postgres()
            self._start_kafka()
            self._start_smtp_sink()
            self._start_services()
        except BaseException:
            self.stop()
            raise
        self.write_state(ready=True)

    def stop(self) -> None:
        """Stop everything started so far, newest first."""
        self._undo.close()
        self.components.clear()
        self.state_file.unlink(missing_ok=True)

    def components_that_died(self) -> list[str]:
        """Services whose process exited while the stack runs."""
        processes = self.service_processes.items()
        return [name for name, process in processes if process.poll() is not None]

    def write_state(self, ready: bool) -> None:
        """Record what runs where, for `up` (waits for ready) and `status`/`down`."""
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        state = {
            "pid": os.getpid(),
            "ready": ready,
            "postgres_data": str(self.settings.stack_folder / "postgres"),
            "components": [asdict(component) for component in self.components],
        }
        self.state_file.write_text(json.dumps(state, indent=2), encoding="utf-8")

    def _ensure_ports_are_free(self) -> None:
        # Checking all ports first fails fast, before anything was started.
        settings = self.settings
        wanted = [
            ("PostgreSQL", settings.postgres_port, "POSTGRES_PORT"),
            ("Kafka", settings.kafka_port, "KAFKA_PORT"),
            ("Kafka controller", settings.kafka_controller_port, "KAFKA_CONTROLLER_PORT"),
            ("SMTP sink", settings.smtp_port, "SMTP_PORT"),
        ]
        wanted += [
            (service.name, settings.service_ports[service.name], service.port_variable)
            for service in SERVICES
        ]
        for component, port, variable in wanted:
            if component == "PostgreSQL" and self._own_postgres_is_running():
                continue  # a server left on our own data folder is reused, not a foreign process
            try:
                ensure_port_is_free(settings.host, port, component, variable)
            except PortTakenError as taken:
                leftover_hint = (
                    "A stack left by `up` stops with `python -m werkstattnetz_devstack down`."
                )
                raise PortTakenError(f"{taken} {leftover_hint}") from None

    def _own_postgres_is_running(self) -> bool:
        settings = self.settings
        return PostgresServer(settings.stack_folder / "postgres", settings.postgres_port).is_running

    def _start_postgres(self) -> None:
        settings = self.settings
        postgres = PostgresServer(settings.stack_folder / "postgres", settings.postgres_port)
        self._announce("starting PostgreSQL")
        postgres.start()
        self._undo.callback(postgres.stop)
        with_database = [service for service in SERVICES if service.has_database]
        for service in with_database:
            postgres.ensure_database(service.name, owner=service.name, password=service.name)
        databases = ", ".join(service.name for service in with_database)
        self._record(
            "PostgreSQL",
            f"{settings.host}:{settings.postgres_port}",
            None,
            postgres.log_file,
            f"admin {postgres.admin_dsn}  databases {databases}  data {postgres.data_dir}",
        )

    def _start_kafka(self) -> None:
        settings = self.settings
        broker = KafkaBroker(
            settings.stack_folder / "kafka",
            settings.kafka_port,
            settings.kafka_controller_port,
            version=settings.kafka_version,
            cache=settings.cache,
        )
        self._announce(f"starting Kafka {settings.kafka_version}")
        self._undo.callback(broker.stop)
        broker.start()
        broker.wait_until_ready(timeout=90.0)
        self._record(
            f"Kafka {settings.kafka_version}",
            broker.bootstrap_servers,
            broker.pid,
            broker.log_file,
            f"data {broker.data_dir}",
        )

    def _start_smtp_sink(self) -> None:
        settings = self.settings
        sink = SmtpSink(settings.mail_folder, settings.host, settings.smtp_port)
        self._announce("starting the SMTP sink")
        log_file = settings.logs_folder / "smtp-sink.log"
        self._undo.callback(sink.stop)
        sink.start_subprocess(log_file)
        self._record(
            "SMTP sink",
            f"{settings.host}:{settings.smtp_port}",
            sink.pid,
            log_file,
            f"mail folder {sink.folder}",
        )

    def _start_services(self) -> None:
        # All at once, then wait for each: they do not depend on one another to become ready.
        for service in SERVICES:
            self._announce(f"starting {service.name} (python -m {service.module})")
            process = start_logged_process(
                [sys.executable, "-m", service.module],
                self._service_log(service.name),
                self.settings.service_environment(service),
                find_repository_root(),
            )
            self._undo.callback(stop_process, process, 20.0)
            self.service_processes[service.name] = process
        for service in SERVICES:
            process = self.service_processes[service.name]
            url = self.settings.service_url(service)
            log_file = self._service_log(service.name)
            wait_for_http_ok(f"{url}/health/ready", SERVICE_READY_TIMEOUT, process, log_file)
            details = (
                "ready: /health/ready  docs: /docs  metrics: /metrics (token with role monitoring)"
            )
            self._record(service.name, url, process.pid, log_file, details)

    def _service_log(self, name: str) -> Path:
        return self.settings.logs_folder / f"{name}.log"

    def _record(self, name: str, address: str, pid: int | None, log: Path, details: str) -> None:
        self.components.append(RunningComponent(name, address, pid, str(log), details))
        self.write_state(ready=False)

    def _announce(self, message: str) -> None:
        print(f"[devstack] {message} ...", flush=True)
