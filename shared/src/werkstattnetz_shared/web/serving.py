"""How a service's app is served: one uvicorn configuration for `python -m <service>` and tests."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE

from werkstattnetz_shared.settings import ServiceSettings


def server_config(app: FastAPI, settings: ServiceSettings) -> uvicorn.Config:
    # No `server: uvicorn` banner: it tells a prober which vulnerabilities to try first.
    # Logging is configured by the service (JSON lines), not by uvicorn.
    # The loop and HTTP parser stay uvicorn's "auto": uvloop and httptools, both installed with shared.
    # The graceful timeout is a backstop: a response that never ends (a live stream whose
    # service forgot to end it) must not keep a stopping service alive forever.
    return uvicorn.Config(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )


GRACEFUL_SHUTDOWN_S = 10


def when_shutdown_starts(app: FastAPI, hook: Callable[[], None]) -> None:
    """Run `hook` as soon as the server begins to stop, before it waits for open responses:
    uvicorn only runs the lifespan's shutdown after every response ended, so endless responses
    (Server-Sent Events) must be ended from here."""
    hooks: list[Callable[[], None]] = getattr(app.state, "shutdown_started_hooks", [])
    hooks.append(hook)
    app.state.shutdown_started_hooks = hooks


class ServiceServer(uvicorn.Server):
    """uvicorn's server, ending endless responses first when it stops (`when_shutdown_starts`)."""

    def __init__(self, app: FastAPI, settings: ServiceSettings) -> None:
        super().__init__(server_config(app, settings))
        self._app = app

    async def shutdown(self, sockets: Any = None) -> None:
        for hook in getattr(self._app.state, "shutdown_started_hooks", []):
            hook()
        await super().shutdown(sockets)


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    server = ServiceServer(app, settings)
    server.run()
    if not server.started:
        # As `uvicorn.run` does: a lifespan that failed (the database never came up) must not look
        # like a clean stop to whatever supervises the process.
        sys.exit(STARTUP_FAILURE)
