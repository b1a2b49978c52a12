"""Serve the FastAPI app from inside the Faust worker, as one more service of its event loop.

Why not Faust's own aiohttp web server: the services' HTTP frame (JWT verification and role
checks, the one error shape, edge headers, health and metrics endpoints) is FastAPI; reusing it
keeps the worker's endpoint answering exactly like the services'. uvicorn runs on the worker's
loop, so the route reads the live figures without locks; the worker (mode) owns the signals.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator

import uvicorn
from fastapi import FastAPI
from mode import Service

from outcomes_live.settings import LiveReportingSettings


class _ServerWithoutSignals(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The worker handles SIGTERM/SIGINT and stops this service; uvicorn must not take them.
        yield


class HttpServer(Service):
    def __init__(self, app: FastAPI, settings: LiveReportingSettings) -> None:
        super().__init__()
        self._server = _ServerWithoutSignals(
            uvicorn.Config(
                app, host=settings.http_host, port=settings.http_port, log_config=None, server_header=False
            )
        )
        self._serving: asyncio.Task[None] | None = None

    async def on_start(self) -> None:
        self._serving = asyncio.ensure_future(self._server.serve())
        while not self._server.started:
            if self._serving.done():
                # The port is taken or the app failed to start: the worker must not run without it.
                raise RuntimeError(f"the HTTP server did not start: {self._serving.exception()!r}")
            await asyncio.sleep(0.05)

    async def on_stop(self) -> None:
        self._server.should_exit = True
        if self._serving is not None:
            with contextlib.suppress(Exception):
                await self._serving
