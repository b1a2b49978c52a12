"""How a service's app is served: one uvicorn configuration for `python -m <service>` and tests."""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI
from uvicorn.config import STARTUP_FAILURE

from werkstattnetz_shared.settings import ServiceSettings


def server_config(app: FastAPI, settings: ServiceSettings) -> uvicorn.Config:
    # No `server: uvicorn` banner: it tells a prober which vulnerabilities to try first.
    # Logging is configured by the service (JSON lines), not by uvicorn.
    return uvicorn.Config(
        app, host=settings.http_host, port=settings.http_port, log_config=None, server_header=False
    )


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    server = uvicorn.Server(server_config(app, settings))
    server.run()
    if not server.started:
        # As `uvicorn.run` does: a lifespan that failed (the database never came up) must not look
        # like a clean stop to whatever supervises the process.
        sys.exit(STARTUP_FAILURE)
