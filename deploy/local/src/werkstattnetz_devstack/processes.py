"""Small helpers for starting, watching and stopping the local infrastructure's processes."""

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from werkstattnetz_devstack.ports import port_accepts_connections


class StartupFailedError(RuntimeError):
    """A component did not become ready; the message carries the tail of its log."""


def tail_of_file(path: Path, lines: int = 40, start: int = 0) -> str:
    """The last lines of a log file (from byte `start` on), or a note that it does not exist."""
    if not path.exists():
        return f"(no log at {path})"
    with path.open("rb") as log:
        log.seek(start)
        text = log.read().decode("utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def wait_for_tcp_port(
    host: str,
    port: int,
    timeout: float,
    process: subprocess.Popen[bytes] | None = None,
    log_file: Path | None = None,
) -> None:
    """Wait until host:port accepts connections; give up early when `process` already died."""
    deadline = time.monotonic() + timeout
    while not port_accepts_connections(host, port):
        raise_if_process_died(process, f"{host}:{port}", log_file)
        if time.monotonic() > deadline:
            raise StartupFailedError(
                f"nothing listened on {host}:{port} after {timeout:.0f}s\n"
                + (tail_of_file(log_file) if log_file else "")
            )
        time.sleep(0.2)


def wait_for_http_ok(
    url: str,
    timeout: float,
    process: subprocess.Popen[bytes] | None = None,
    log_file: Path | None = None,
) -> None:
    """Wait until GET `url` answers 200 (readiness probes answer 503 until they are ready)."""
    deadline = time.monotonic() + timeout
    last_answer = "no answer yet"
    with httpx.Client(timeout=2.0) as client:
        while True:
            try:
                response = client.get(url)
                if response.status_code == 200:
                    return
                last_answer = f"HTTP {response.status_code}"
            except httpx.HTTPError as error:
                last_answer = type(error).__name__
            raise_if_process_died(process, url, log_file)
            if time.monotonic() > deadline:
                raise StartupFailedError(
                    f"{url} did not answer 200 within {timeout:.0f}s (last: {last_answer})\n"
                    + (tail_of_file(log_file) if log_file else "")
                )
            time.sleep(0.3)


def raise_if_process_died(
    process: subprocess.Popen[bytes] | None, waiting_for: str, log_file: Path | None
) -> None:
    """Turn a silently exited child into an error that shows why it exited."""
    if process is None or process.poll() is None:
        return
    raise StartupFailedError(
        f"process {process.args!r} exited with code {process.returncode} "
        f"while we waited for {waiting_for}\n" + (tail_of_file(log_file) if log_file else "")
    )


def start_logged_process(
    command: Sequence[str],
    log_file: Path,
    environment: Mapping[str, str] | None = None,
    working_directory: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start `command` in its own process group with stdout and stderr appended to `log_file`.

    Its own group keeps a Ctrl-C in the terminal away from it, so the stack can stop its
    components in order instead of all at once.
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        return subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(environment) if environment is not None else None,
            cwd=working_directory,
            start_new_session=True,
        )


def process_is_alive(pid: int) -> bool:
    """Whether a process with this id exists (zombies of our own children count as gone)."""
    try:
        waited_pid, _ = os.waitpid(pid, os.WNOHANG)
        if waited_pid == pid:
            return False
    except ChildProcessError:
        pass  # not our child: fall through to the signal probe
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_process_group(pid: int, timeout: float = 20.0) -> None:
    """SIGTERM the process group led by `pid`, then SIGKILL it when it outlives `timeout`."""
    signal_process_group(pid, signal.SIGTERM)
    if wait_until_process_is_gone(pid, timeout):
        return
    signal_process_group(pid, signal.SIGKILL)
    if not wait_until_process_is_gone(pid, 10.0):
        raise RuntimeError(f"process {pid} survived SIGKILL")


def wait_until_process_is_gone(pid: int, timeout: float) -> bool:
    """Poll until `pid` has exited; False when it still runs after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while process_is_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def stop_process(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """Stop a child started by `start_logged_process` and reap it."""
    if process.poll() is None:
        stop_process_group(process.pid, timeout)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5.0)


def signal_process_group(pid: int, which: signal.Signals) -> None:
    """Signal the whole group (children included), or just the process when it leads none."""
    try:
        os.killpg(pid, which)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, which)
