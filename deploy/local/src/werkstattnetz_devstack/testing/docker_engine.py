"""Decides whether testcontainers can be used: a Docker engine answers and the library is there."""

import functools
import importlib
import importlib.util
import shutil
import subprocess
from collections.abc import Callable
from typing import Any


@functools.cache
def docker_engine_answers() -> bool:
    """Whether `docker info` succeeds (a client without an engine fails, which is our CI)."""
    if shutil.which("docker") is None:
        return False
    try:
        probe = subprocess.run(["docker", "info"], capture_output=True, timeout=15, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def containers_can_be_used() -> tuple[bool, str]:
    """Whether to use testcontainers, and a few words saying why not when not."""
    if not docker_engine_answers():
        return False, "no Docker engine answers `docker info`"
    if importlib.util.find_spec("testcontainers") is None:
        return False, "Docker answers, but testcontainers is not installed"
    return True, "Docker engine answers"


def testcontainers_class(module: str, name: str) -> Callable[..., Any]:
    """A container class; testcontainers moved its modules under `community` in 4.15."""
    try:
        found = importlib.import_module(f"testcontainers.community.{module}")
    except ImportError:
        found = importlib.import_module(f"testcontainers.{module}")
    container_class: Callable[..., Any] = getattr(found, name)
    return container_class
