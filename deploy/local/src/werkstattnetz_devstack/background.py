"""`up`, `down` and `status`: the stack as a detached `run` process with a pid file."""

import json
import os
import subprocess
import sys
import time
from typing import Any

from werkstattnetz_devstack.postgres import PostgresServer
from werkstattnetz_devstack.processes import (
    process_is_alive,
    stop_process_group,
    tail_of_file,
)
from werkstattnetz_devstack.stack_settings import StackSettings

UP_TIMEOUT = float(os.environ.get("DEVSTACK_UP_TIMEOUT", "900"))


def running_stack_pid(settings: StackSettings) -> int | None:
    """The pid of the detached `run`, when it is still alive."""
    pid_file = settings.stack_folder / "stack.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text(encoding="utf-8").strip() or 0)
    return pid if pid and process_is_alive(pid) else None


def read_state(settings: StackSettings) -> dict[str, Any] | None:
    """What the running stack wrote about itself, if anything."""
    state_file = settings.stack_folder / "state.json"
    try:
        state: dict[str, Any] = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state


def start_in_background(settings: StackSettings) -> int:
    """Start a detached `run` and return once it reports ready (1 with its log tail if not)."""
    if running_stack_pid(settings):
        print("[devstack] already running")
        return show_status(settings)
    log_file = settings.logs_folder / "stack.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    settings.stack_folder.mkdir(parents=True, exist_ok=True)
    (settings.stack_folder / "state.json").unlink(missing_ok=True)
    # The log is appended to across runs; a failure should show only this run's part.
    this_run_starts_at = log_file.stat().st_size if log_file.exists() else 0
    with log_file.open("ab") as log:
        runner = subprocess.Popen(
            [sys.executable, "-m", "werkstattnetz_devstack", "run"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # survives the terminal that ran `up`
        )
    (settings.stack_folder / "stack.pid").write_text(f"{runner.pid}\n", encoding="utf-8")
    print(f"[devstack] starting in the background (pid {runner.pid}, log {log_file}) ...")
    deadline = time.monotonic() + UP_TIMEOUT
    while True:
        state = read_state(settings)
        if state and state.get("pid") == runner.pid and state.get("ready"):
            return show_status(settings)
        if runner.poll() is not None:
            failure = "the stack failed to start"
            break
        if time.monotonic() > deadline:
            stop_process_group(runner.pid, timeout=60.0)
            failure = f"not ready after {UP_TIMEOUT:.0f}s"
            break
        time.sleep(0.5)
    (settings.stack_folder / "stack.pid").unlink(missing_ok=True)
    print(f"[devstack] {failure}:\n{tail_of_file(log_file, 60, this_run_starts_at)}")
    return 1


def stop_background(settings: StackSettings) -> int:
    """Stop the detached stack, and whatever it left behind if it had died."""
    pid = running_stack_pid(settings)
    if pid:
        print(f"[devstack] stopping the stack (pid {pid}) ...")
        stop_process_group(pid, timeout=90.0)
    state = read_state(settings)
    if state:
        # The runner died without cleaning up: stop its components one by one.
        for component in state.get("components", []):
            leftover = component.get("pid")
            if leftover and process_is_alive(leftover):
                print(f"[devstack] stopping leftover {component['name']} (pid {leftover})")
                stop_process_group(leftover)
        PostgresServer(settings.stack_folder / "postgres", settings.postgres_port).stop()
        (settings.stack_folder / "state.json").unlink(missing_ok=True)
    (settings.stack_folder / "stack.pid").unlink(missing_ok=True)
    print("[devstack] stopped" if pid or state else "[devstack] was not running")
    return 0


def show_status(settings: StackSettings) -> int:
    """Print what runs (0) or that nothing does (1)."""
    pid = running_stack_pid(settings)
    state = read_state(settings)
    if not pid or not state:
        print("[devstack] not running")
        return 1
    readiness = "ready" if state.get("ready") else "starting"
    print(f"[devstack] running (pid {pid}, {readiness}):")
    for component in state.get("components", []):
        alive = component.get("pid") is None or process_is_alive(component["pid"])
        marker = "" if alive else "  [EXITED]"
        name, address, log = component["name"], component["address"], component["log"]
        print(f"  {name:<14} {address:<32} log {log}{marker}")
        if component.get("details"):
            print(f"  {'':<14} {component['details']}")
    print(f"  logs folder    {settings.logs_folder}")
    return 0
