"""Session-scoped pytest fixtures providing a real Kafka broker and a real PostgreSQL server.

Load as a plugin (root `conftest.py`: `pytest_plugins = ["tests.infra.fixtures"]`, or
`pytest -p tests.infra.fixtures`). Each fixture takes, in this order: a running server named by
an environment variable (`KAFKA_BOOTSTRAP_SERVERS`, `TEST_POSTGRES_ADMIN_URL`), testcontainers
when `docker info` answers, or local processes started by `werkstattnetz_devstack` (Kafka on
19092/19093, PostgreSQL on 55432, data under `.cache/test/`). They never skip: a test run without
real infrastructure must fail, not pass quietly. The classes live in
`werkstattnetz_devstack.testing` so tests can import them for type hints.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from types import FrameType

import pytest

from werkstattnetz_devstack.testing import (
    KafkaForTests,
    PostgresForTests,
    provide_kafka,
    provide_postgres,
)


def interrupt_on_sigterm(signal_number: int, frame: FrameType | None) -> None:
    """Treat SIGTERM (e.g. from `timeout`) like Ctrl-C, so pytest still tears fixtures down."""
    raise KeyboardInterrupt(f"signal {signal_number}")


def pytest_configure(config: pytest.Config) -> None:
    """Without this, a killed test run would leave its Kafka and PostgreSQL running."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, interrupt_on_sigterm)


@contextmanager
def interrupts_ignored() -> Iterator[None]:
    """Stopping a server must finish, even when Ctrl-C or SIGTERM arrives meanwhile."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {which: signal.getsignal(which) for which in (signal.SIGINT, signal.SIGTERM)}
    for which in previous:
        signal.signal(which, signal.SIG_IGN)
    try:
        yield
    finally:
        for which, handler in previous.items():
            signal.signal(which, handler)


def output_shown(request: pytest.FixtureRequest) -> AbstractContextManager[object]:
    """Let prints through pytest's capturing: the chosen mode and download progress matter."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        return nullcontext()
    shown: AbstractContextManager[object] = capture.global_and_fixture_disabled()
    return shown


@pytest.fixture(scope="session")
def kafka_broker(request: pytest.FixtureRequest) -> Iterator[KafkaForTests]:
    """A ready broker: `.bootstrap_servers`, `.outage()`, `.create_topics(names, partitions)`."""
    with ExitStack() as cleanup:
        with output_shown(request):
            kafka = cleanup.enter_context(provide_kafka())
            print(f"\n[infra] Kafka: {kafka.mode} at {kafka.bootstrap_servers}", flush=True)
        try:
            yield kafka
        finally:
            with interrupts_ignored():
                cleanup.close()


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[PostgresForTests]:
    """A ready server: `.admin_dsn` and `.create_database(name) -> dsn` (fresh each call)."""
    with ExitStack() as cleanup:
        with output_shown(request):
            postgres = cleanup.enter_context(provide_postgres())
            print(f"\n[infra] PostgreSQL: {postgres.mode}", flush=True)
        try:
            yield postgres
        finally:
            with interrupts_ignored():
                cleanup.close()
