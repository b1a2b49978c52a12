"""Lets several test sessions on one machine share a checkout without fighting over servers.

The first session takes the default ports and folder (`.cache/test/kafka`) under a lock; a
session started while that one runs gets free ports and a folder of its own, removed at its
end. The lock dies with its process, so a killed session frees the default slot by itself.
"""

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from werkstattnetz_devstack.processes import process_is_alive


@dataclass(frozen=True)
class SessionSlot:
    """Where this session's server lives: the default slot, or a private one."""

    folder: Path
    is_default: bool


@contextmanager
def claim_session_slot(
    test_folder: Path, name: str, stop_leftover_in: Callable[[Path], None]
) -> Iterator[SessionSlot]:
    """Claim `<test_folder>/<name>` if no live session holds it, else `<name>-<pid>`.

    `stop_leftover_in(folder)` stops a server that a dead session left in a folder; it is called
    on the default folder when we claim it and on private folders of dead sessions before they
    are removed.
    """
    test_folder.mkdir(parents=True, exist_ok=True)
    with (test_folder / f"{name}.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            private = test_folder / f"{name}-{os.getpid()}"
            try:
                yield SessionSlot(private, is_default=False)
            finally:
                shutil.rmtree(private, ignore_errors=True)
            return
        remove_folders_of_dead_sessions(test_folder, name, stop_leftover_in)
        stop_leftover_in(test_folder / name)
        yield SessionSlot(test_folder / name, is_default=True)


def remove_folders_of_dead_sessions(
    test_folder: Path, name: str, stop_leftover_in: Callable[[Path], None]
) -> None:
    """Private folders whose session died (killed before its cleanup) would pile up."""
    for folder in test_folder.glob(f"{name}-*"):
        owner = folder.name.rsplit("-", 1)[-1]
        if owner.isdigit() and not process_is_alive(int(owner)):
            stop_leftover_in(folder)
            shutil.rmtree(folder, ignore_errors=True)
