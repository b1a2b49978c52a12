"""A partner's webhook endpoint for tests: a real HTTP server on 127.0.0.1 that records every call.

uvicorn serves it from a thread with its own event loop, so it answers while a pytest-asyncio test
awaits on its own loop, and services started as subprocesses can call it too. Each path can have
its own secret; a call whose signature does not verify is answered 401, as a careful partner would.
A test can make it answer 503 for a while (a partner that is down) or reject everything (a
partner that refuses our calls), or answer slowly (a partner that hangs).

    async with WebhookReceiver({"/hooks/a": secret}) as receiver:
        ... post to receiver.url("/hooks/a") ...
        [call] = await receiver.wait_for_calls("/hooks/a", 1)
        assert call.signature_verified
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from notifications.domain.webhook_signature import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureRejected,
    verify,
)

STARTUP_TIMEOUT_S = 10.0
POLL_INTERVAL_S = 0.02


@dataclass(frozen=True)
class ReceivedCall:
    path: str
    headers: Mapping[str, str]
    """Header names in lower case, as HTTP/1.1 makes them case-insensitive."""
    body: bytes
    signature_verified: bool | None
    """None when no secret is registered for the path."""
    rejection_reason: str | None
    answered_status: int
    received_at: float
    """Unix time (time.time()) when the call arrived."""

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def idempotency_key(self) -> str | None:
        return self.header(IDEMPOTENCY_HEADER)

    def json(self) -> Any:
        return json.loads(self.body)


class WebhookReceiver:
    def __init__(self, secrets: Mapping[str, str] | None = None, *, tolerance_s: int = 300) -> None:
        self._secrets = dict(secrets or {})
        self._tolerance_s = tolerance_s
        self._lock = threading.Lock()
        self._calls: list[ReceivedCall] = []
        self._failures_left = 0
        self._failure_status = 503
        self._always_status: int | None = None
        self._delay_s = 0.0
        self._stopping = threading.Event()
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        app = Starlette(routes=[Route("/{path:path}", self._receive, methods=["POST"])])
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, name=f"webhook-receiver-{self.port}", daemon=True)

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Serve from a background thread; returns once the port accepts calls."""
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"webhook receiver did not start within {STARTUP_TIMEOUT_S} s")
            time.sleep(POLL_INTERVAL_S)

    def stop(self) -> None:
        self._stopping.set()
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(STARTUP_TIMEOUT_S)
        self._socket.close()

    def __enter__(self) -> WebhookReceiver:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> WebhookReceiver:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.stop)

    # --- what a test sets up ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def set_secret(self, path: str, secret: str) -> None:
        with self._lock:
            self._secrets[path] = secret

    def fail_next(self, count: int, status: int = 503) -> None:
        """Answer the next `count` calls with `status`, as a partner that is down for a while."""
        with self._lock:
            self._failures_left, self._failure_status = count, status

    def reject_always(self, status: int = 400) -> None:
        """Answer every call with `status` until `behave()`."""
        with self._lock:
            self._always_status = status

    def respond_slowly(self, seconds: float) -> None:
        """Wait `seconds` before answering, to make a sender time out."""
        with self._lock:
            self._delay_s = seconds

    def behave(self) -> None:
        """Accept calls again (those with a valid signature, where a secret is set)."""
        with self._lock:
            self._failures_left, self._always_status, self._delay_s = 0, None, 0.0

    # --- what a test checks ----------------------------------------------------------------------

    def calls(self, path: str | None = None) -> list[ReceivedCall]:
        """Every call to `path` (or to any path) in order of arrival, including those answered with errors."""
        with self._lock:
            return [call for call in self._calls if path is None or call.path == path]

    def distinct_idempotency_keys(self, path: str | None = None) -> set[str]:
        return {call.idempotency_key for call in self.calls(path) if call.idempotency_key is not None}

    async def wait_for_calls(
        self, path: str | None, count: int, timeout_s: float = 10.0
    ) -> list[ReceivedCall]:
        """The calls to `path` once there are at least `count`; fails the test after `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while len(calls := self.calls(path)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(calls)} of {count} expected calls to {path} within {timeout_s} s")
            await asyncio.sleep(POLL_INTERVAL_S)
        return calls

    # --- serving ---------------------------------------------------------------------------------

    def _serve(self) -> None:
        self._server.run(sockets=[self._socket])

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        path = request.url.path
        headers = {name.lower(): value for name, value in request.headers.items()}
        verified, reason = self._check_signature(path, headers, body)
        with self._lock:
            status = self._status_for(verified)
            delay_s = self._delay_s
            self._calls.append(ReceivedCall(path, headers, body, verified, reason, status, time.time()))
        await self._sleep_unless_stopping(delay_s)
        return JSONResponse({"received": status < 300}, status_code=status)

    def _check_signature(
        self, path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[bool | None, str | None]:
        with self._lock:
            secret = self._secrets.get(path)
        if secret is None:
            return None, None
        timestamp, signature = headers.get(TIMESTAMP_HEADER.lower()), headers.get(SIGNATURE_HEADER.lower())
        try:
            verify(secret, timestamp, signature, body, now=int(time.time()), tolerance_s=self._tolerance_s)
        except SignatureRejected as rejected:
            return False, rejected.reason
        return True, None

    def _status_for(self, verified: bool | None) -> int:
        """Called with the lock held: a set-up failure wins over the signature check."""
        if self._failures_left > 0:
            self._failures_left -= 1
            return self._failure_status
        if self._always_status is not None:
            return self._always_status
        return 401 if verified is False else 200

    async def _sleep_unless_stopping(self, seconds: float) -> None:
        # A hanging answer must not hold up the server's shutdown at the end of a test.
        if seconds > 0:
            await asyncio.to_thread(self._stopping.wait, seconds)
