"""Serve one service's app over real HTTP, as `python -m <service>` does, from inside a test.

uvicorn runs in a thread with its own event loop (lifespan included), so synchronous clients such
as schemathesis' can call it while the test's own event loop is idle.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from werkstattnetz_shared.settings import ServiceSettings
from werkstattnetz_shared.web.serving import ServiceServer

STARTUP_TIMEOUT_S = 30.0
POLL_INTERVAL_S = 0.05


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def served_over_http(app: FastAPI, settings: ServiceSettings) -> AsyncIterator[str]:
    """Run `app` on `settings.http_host:http_port` until the block ends; yields its base URL."""
    server = ServiceServer(app, settings)
    thread = threading.Thread(target=server.run, name=f"{app.title}-uvicorn", daemon=True)
    thread.start()
    try:
        for _ in range(int(STARTUP_TIMEOUT_S / POLL_INTERVAL_S)):
            if server.started or not thread.is_alive():
                break
            await asyncio.sleep(POLL_INTERVAL_S)
        assert server.started, f"{app.title} did not start serving within {STARTUP_TIMEOUT_S} s"
        yield f"http://{settings.http_host}:{settings.http_port}"
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, STARTUP_TIMEOUT_S)
