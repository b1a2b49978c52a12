"""The PostgreSQL tests talk to: from the environment, a testcontainer, or a local process."""

import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from werkstattnetz_devstack.databases import (
    copy_database_blocking,
    drop_database_and_role_blocking,
    ensure_role_and_database_blocking,
)
from werkstattnetz_devstack.paths import cache_folder
from werkstattnetz_devstack.ports import find_free_ports, port_is_free
from werkstattnetz_devstack.postgres import PostgresServer
from werkstattnetz_devstack.testing.docker_engine import (
    containers_can_be_used,
    testcontainers_class,
)
from werkstattnetz_devstack.testing.outage import OutageNotPossibleError
from werkstattnetz_devstack.testing.session_slot import claim_session_slot

# PostgreSQL truncates identifiers at 63 bytes; leave room for the unique suffix.
PREFIX_LIMIT = 40


@dataclass
class PostgresForTests:
    """A running server plus a way to get a fresh database on it for each test (or suite)."""

    admin_dsn: str
    mode: str
    created: list[str] = field(default_factory=list)
    crash_and_recover: Callable[[], None] | None = None

    def restart_immediately(self) -> None:
        """Simulate a crash of the server (`pg_ctl restart -m immediate`) and return once it takes
        logins again. Blocking: from async code run it with `asyncio.to_thread`.

        The test cluster runs with `synchronous_commit=off` for speed; like a real crash, an
        immediate restart loses the commits of the last moments that were not yet flushed. A
        database whose acknowledged commits must survive it needs `synchronous_commit = on`
        (e.g. `ALTER DATABASE … SET synchronous_commit = on`), as production has by default.
        """
        self.check_restart_possible()
        assert self.crash_and_recover is not None
        self.crash_and_recover()

    def check_restart_possible(self) -> None:
        """Raise `OutageNotPossibleError` (before a test starts its work) unless the fixtures
        can restart this server."""
        if self.crash_and_recover is None:
            raise OutageNotPossibleError(
                f"PostgreSQL ({self.mode}) cannot be restarted by the test fixtures: only a server "
                "they run as a local process can. One named by TEST_POSTGRES_ADMIN_URL is not "
                "theirs, and in a testcontainer PostgreSQL is the container's main process, so an "
                "immediate restart would stop the container. Run without TEST_POSTGRES_ADMIN_URL "
                "and without a Docker engine for this test."
            )

    def create_database(self, name: str = "test") -> str:
        """Create a new database `<name>_<random>` owned by a same-named role; return its DSN.

        Each call gives a fresh, empty database, so tests never see each other's rows.
        """
        prefix = re.sub(r"[^a-z0-9_]", "_", name.lower())[:PREFIX_LIMIT] or "test"
        unique_name = f"{prefix}_{secrets.token_hex(5)}"
        dsn = ensure_role_and_database_blocking(
            self.admin_dsn, unique_name, owner=unique_name, password=secrets.token_hex(12)
        )
        self.created.append(unique_name)
        return dsn

    def copy_database(self, source_dsn: str, name: str) -> str:
        """A new database `<name>_<random>` with the tables and rows of the one `source_dsn` names,
        reached with the same login; return its DSN. Nobody may be connected to the source.

        For a measurement that needs the same prepared rows in several fresh databases: copying a
        prepared one takes a moment, preparing it again through the services' APIs takes minutes.
        """
        prefix = re.sub(r"[^a-z0-9_]", "_", name.lower())[:PREFIX_LIMIT] or "copy"
        unique_name = f"{prefix}_{secrets.token_hex(5)}"
        source = urlsplit(source_dsn)
        copy_database_blocking(self.admin_dsn, source.path.lstrip("/"), unique_name)
        # Dropped before the source's role goes (created is emptied last in, first out); the
        # copy has no role of its own, and dropping one that does not exist is a no-op.
        self.created.append(unique_name)
        return urlunsplit(source._replace(path=f"/{unique_name}"))

    def drop_created_databases(self) -> None:
        """Remove what `create_database` made (at session end, also on reused servers)."""
        while self.created:
            name = self.created.pop()
            drop_database_and_role_blocking(self.admin_dsn, name, owner=name)


@contextmanager
def provide_postgres(cache: Path | None = None) -> Iterator[PostgresForTests]:
    """Yield a ready server; databases created on it are dropped afterwards."""
    configured = os.environ.get("TEST_POSTGRES_ADMIN_URL")
    if configured:
        postgres = PostgresForTests(configured, "environment (TEST_POSTGRES_ADMIN_URL)")
        with dropping_created_databases(postgres):
            yield postgres
        return
    use_containers, reason = containers_can_be_used()
    if use_containers:
        with postgres_in_container() as postgres, dropping_created_databases(postgres):
            yield postgres
        return
    local = postgres_as_local_process(cache or cache_folder(), reason)
    with local as postgres, dropping_created_databases(postgres):
        yield postgres


@contextmanager
def dropping_created_databases(postgres: PostgresForTests) -> Iterator[None]:
    """Drop the session's databases when it ends, even after failures."""
    try:
        yield
    finally:
        postgres.drop_created_databases()


@contextmanager
def postgres_in_container() -> Iterator[PostgresForTests]:
    """PostgreSQL in a testcontainer; its superuser is the container's POSTGRES_USER."""
    image = os.environ.get("TEST_POSTGRES_IMAGE", "postgres:15")
    container: Any = testcontainers_class("postgres", "PostgresContainer")(image, driver=None)
    with container:
        admin_dsn: str = container.get_connection_url()
        yield PostgresForTests(admin_dsn, f"testcontainers ({image})")


@contextmanager
def postgres_as_local_process(cache: Path, reason: str) -> Iterator[PostgresForTests]:
    """A local cluster on a test port with fsync off; stopped afterwards.

    The default slot's cluster stays on disk (initdb only once); a private one is removed.
    """
    with claim_session_slot(cache / "test", "postgres", stop_postgres_left_in) as slot:
        port = int(os.environ.get("TEST_POSTGRES_PORT", "55432"))
        # Another session of this checkout, or another checkout on this machine, may hold it.
        if not (slot.is_default and port_is_free(port)):
            (port,) = find_free_ports(1)
        server = PostgresServer(slot.folder / "data", port=port, fsync=False)
        try:
            server.start()
            mode = f"local process ({reason}), data {server.data_dir}"
            yield PostgresForTests(
                server.admin_dsn, mode, crash_and_recover=server.restart_immediately
            )
        finally:
            server.stop()
            # A private slot's cluster goes with it; so does one kept outside the checkout (see
            # reachable_data_dir), which would otherwise pile up in /var/tmp clone after clone.
            if not slot.is_default or not server.data_dir.is_relative_to(slot.folder.resolve()):
                server.remove_data()


def stop_postgres_left_in(folder: Path) -> None:
    """Stop a cluster that a killed session left running in `folder` (or its stand-in)."""
    PostgresServer(folder / "data").stop()
