"""A project-local PostgreSQL cluster run with initdb and pg_ctl, as root or as a normal user.

PostgreSQL refuses to run as root, so when we are root every server command runs as the
`postgres` OS user through `runuser`, and the folders it writes are handed to that user.
"""

import contextlib
import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from werkstattnetz_devstack.databases import ensure_role_and_database_blocking
from werkstattnetz_devstack.ports import ensure_port_is_free
from werkstattnetz_devstack.processes import StartupFailedError, tail_of_file

SERVER_USER = "postgres"
# Unix socket paths are limited to 107 bytes by the kernel.
SOCKET_PATH_LIMIT = 100


def find_server_binaries() -> Path:
    """The folder holding initdb and pg_ctl: `$PG_BIN_DIR`, PATH, or Debian's newest version."""
    configured = os.environ.get("PG_BIN_DIR")
    if configured:
        return Path(configured)
    on_path = shutil.which("pg_ctl")
    if on_path:
        return Path(on_path).parent
    # Debian keeps the server binaries off PATH, one folder per major version.
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError("PostgreSQL server binaries not found: install them or set PG_BIN_DIR")
    return versions[-1].parent


def reachable_data_dir(data_dir: Path) -> Path:
    """`data_dir`, or a stand-in under /var/tmp when the server user cannot reach it.

    As root, the checkout may sit below a folder only root can enter (a CI clone in `mktemp -d`
    is mode 700); the `postgres` user then cannot open its own data. The stand-in's name is
    derived from the wanted path, so every start for the same checkout finds the same cluster.
    """
    if os.geteuid() != 0 or server_user_can_reach(data_dir.parent):
        return data_dir
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:12]
    # /var/tmp survives reboots like the checkout does; refuse a folder someone else made there.
    stand_in = Path("/var/tmp") / f"werkstattnetz-postgres-{digest}"  # noqa: S108
    if stand_in.exists() and stand_in.stat().st_uid not in (0, _server_user_id()):
        raise RuntimeError(f"{stand_in} belongs to another user; remove it or move the checkout")
    stand_in.mkdir(mode=0o755, exist_ok=True)
    return stand_in / data_dir.name


def server_user_can_reach(folder: Path) -> bool:
    """Whether each existing folder on the way is enterable by others or by the server user."""
    server_uid = _server_user_id()
    for step in (folder, *folder.parents):
        if not step.exists():
            continue  # created later by root with the usual umask, so others may enter it
        status = step.stat()
        if not (status.st_mode & 0o001 or status.st_uid == server_uid):
            return False
    return True


def _server_user_id() -> int:
    return pwd.getpwnam(SERVER_USER).pw_uid


class PostgresServer:
    """One cluster in `data_dir`, listening on 127.0.0.1:`port` only, with password logins."""

    def __init__(
        self,
        data_dir: Path,
        port: int = 5432,
        *,
        fsync: bool = True,
        # A development cluster on loopback only; the password just makes TCP logins realistic.
        superuser_password: str = "postgres",  # noqa: S107
        host: str = "127.0.0.1",
    ) -> None:
        self.data_dir = reachable_data_dir(data_dir.resolve())
        self.port = port
        self.fsync = fsync
        self.superuser_password = superuser_password
        self.host = host
        self.binaries = find_server_binaries()
        self.run_dir = self.data_dir.with_name(self.data_dir.name + "-run")
        self.log_file = self.run_dir / "postgres.log"
        self.socket_dir = self._choose_socket_dir()

    @property
    def admin_dsn(self) -> str:
        """The superuser's DSN over TCP."""
        return (
            f"postgresql://{SERVER_USER}:{self.superuser_password}@{self.host}:{self.port}/postgres"
        )

    @property
    def is_running(self) -> bool:
        """Whether a server runs on our data folder (ours or one left by an earlier run)."""
        status = self._run_as_server_user(["pg_ctl", "status", "-D", str(self.data_dir)])
        return status.returncode == 0

    def start(self, timeout: float = 60.0) -> None:
        """Initialise the cluster on first use, then start it and wait until it takes logins."""
        self._prepare_folders()
        if not (self.data_dir / "PG_VERSION").exists():
            self._initialise_cluster()
        if self.is_running:
            return  # left by an earlier run on the same data: reuse it rather than fight it
        ensure_port_is_free(self.host, self.port, "PostgreSQL", "POSTGRES_PORT")
        command = ["pg_ctl", "start", "-D", str(self.data_dir), "-l", str(self.log_file)]
        command += ["-w", "-t", str(int(timeout)), "-o", self._server_options()]
        started = self._run_as_server_user(command)
        if started.returncode != 0:
            raise StartupFailedError(
                f"PostgreSQL did not start on port {self.port}:\n{started.stdout}{started.stderr}\n"
                f"{tail_of_file(self.log_file)}"
            )

    def restart_immediately(self, timeout: float = 60.0) -> None:
        """A simulated crash: `pg_ctl restart -m immediate`, then wait until it takes logins.

        Immediate mode ends every server process at once without a checkpoint, so the start that
        follows runs crash recovery from the WAL, as after a crash of the server (not of the
        machine: what reached the operating system survives). Clients see their connections die
        mid-transaction and new ones refused while it recovers.
        """
        command = ["pg_ctl", "restart", "-D", str(self.data_dir), "-m", "immediate"]
        # -l again: without it the new postmaster would write to (and hold open) our stdout pipe.
        command += ["-l", str(self.log_file), "-w", "-t", str(int(timeout))]
        command += ["-o", self._server_options()]
        restarted = self._run_as_server_user(command)
        if restarted.returncode != 0:
            raise StartupFailedError(
                f"PostgreSQL did not come back after an immediate restart on port {self.port}:\n"
                f"{restarted.stdout}{restarted.stderr}\n{tail_of_file(self.log_file)}"
            )

    def _server_options(self) -> str:
        options = [
            f"-c listen_addresses={self.host}",
            f"-p {self.port}",
            f"-c unix_socket_directories={self.socket_dir}",
        ]
        if not self.fsync:
            # Tests throw the data away anyway; skipping disk syncs makes them much faster.
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        return " ".join(options)

    def stop(self, timeout: float = 30.0) -> None:
        """Fast shutdown: roll back open transactions, then stop."""
        if not (self.data_dir / "postmaster.pid").exists():
            return
        command = ["pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w"]
        stopped = self._run_as_server_user([*command, "-t", str(int(timeout))])
        if stopped.returncode != 0 and self.is_running:
            raise RuntimeError(f"PostgreSQL did not stop:\n{stopped.stdout}{stopped.stderr}")

    def remove_data(self) -> None:
        """Delete the cluster's folders (the server must be stopped)."""
        shutil.rmtree(self.data_dir, ignore_errors=True)
        shutil.rmtree(self.run_dir, ignore_errors=True)
        if self.data_dir.parent.name.startswith("werkstattnetz-postgres-"):
            with contextlib.suppress(OSError):  # a stand-in folder that still holds something stays
                self.data_dir.parent.rmdir()

    def ensure_database(self, name: str, owner: str, password: str) -> str:
        """Create role `owner` and database `name` if missing; return the owner's DSN."""
        return ensure_role_and_database_blocking(self.admin_dsn, name, owner, password)

    def _initialise_cluster(self) -> None:
        # The password file must be readable by the server user and must not outlive initdb.
        password_file = self.run_dir / "superuser-password"
        password_file.write_text(self.superuser_password + "\n", encoding="utf-8")
        self._hand_to_server_user(password_file)
        command = ["initdb", "-D", str(self.data_dir), "-U", SERVER_USER, "-E", "UTF8"]
        command += ["--locale=C", f"--pwfile={password_file}"]
        # Local socket logins stay trusted (only the OS user reaches them); TCP needs a password.
        command += ["--auth-local=trust", "--auth-host=scram-sha-256"]
        if not self.fsync:
            command.append("--no-sync")
        try:
            initialised = self._run_as_server_user(command)
        finally:
            password_file.unlink(missing_ok=True)
        if initialised.returncode != 0:
            hint = ""
            if os.geteuid() == 0:
                hint = f"\n(the {SERVER_USER} user must reach {self.data_dir}: parents need o+x)"
            output = initialised.stdout + initialised.stderr
            raise StartupFailedError(f"initdb failed for {self.data_dir}:\n{output}{hint}")

    def _prepare_folders(self) -> None:
        for folder in (self.data_dir, self.run_dir, self.socket_dir):
            folder.mkdir(parents=True, exist_ok=True)
            self._hand_to_server_user(folder)
        # PostgreSQL insists that nobody else can read its data folder.
        self.data_dir.chmod(0o700)

    def _choose_socket_dir(self) -> Path:
        socket_dir = self.run_dir
        if len(str(socket_dir / f".s.PGSQL.{self.port}")) > SOCKET_PATH_LIMIT:
            socket_dir = Path(tempfile.gettempdir()) / f"werkstattnetz-postgres-{self.port}"
        return socket_dir

    def _hand_to_server_user(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, user=SERVER_USER, group=SERVER_USER)

    def _run_as_server_user(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        executable = [str(self.binaries / command[0]), *command[1:]]
        if os.geteuid() == 0:
            # initdb and postgres refuse to run as root.
            executable = ["runuser", "-u", SERVER_USER, "--", *executable]
        return subprocess.run(
            executable,
            capture_output=True,
            text=True,
            check=False,
            cwd=self.run_dir if self.run_dir.exists() else None,
        )
