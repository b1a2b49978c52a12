"""Posts signed notifications to partner systems over HTTP, and says whether a retry could help."""

from __future__ import annotations

import uuid

import httpx

from notifications.domain.webhook_signature import (
    EVENT_TYPE_HEADER,
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature,
)

# A partner that is overloaded, restarting or rate-limiting us will likely take the same call later.
_WORTH_RETRYING = frozenset({408, 429})


class WebhookNotDelivered(Exception):
    """The partner did not accept the call; `permanent` means sending it again would not help."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class WebhookSender:
    """One shared connection pool for all partners; `start` before the first `send`, `close` at shutdown."""

    def __init__(self, timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        # Redirects are not followed: the signed body must reach the registered URL, not wherever
        # a response points to.
        self._client = httpx.AsyncClient(timeout=self._timeout_s, follow_redirects=False)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def send(
        self,
        url: str,
        secret: str,
        body: bytes,
        *,
        idempotency_key: uuid.UUID,
        event_type: str,
        now: int,
    ) -> None:
        """Post the JSON `body` to `url`, signed with `secret` at Unix time `now`."""
        if self._client is None:
            raise RuntimeError("WebhookSender.start() was not awaited")
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(secret, now, body),
            TIMESTAMP_HEADER: str(now),
            IDEMPOTENCY_HEADER: str(idempotency_key),
            EVENT_TYPE_HEADER: event_type,
        }
        try:
            response = await self._client.post(url, content=body, headers=headers)
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise WebhookNotDelivered(f"cannot call {url!r}: {error}", permanent=True) from error
        except httpx.TimeoutException as error:
            raise WebhookNotDelivered(
                f"{url} did not answer in {self._timeout_s} s", permanent=False
            ) from error
        except httpx.TransportError as error:
            raise WebhookNotDelivered(f"{url} not reachable: {error!r}", permanent=False) from error
        _raise_unless_accepted(url, response.status_code)


def _raise_unless_accepted(url: str, status: int) -> None:
    if 200 <= status < 300:
        return
    transient = status >= 500 or status in _WORTH_RETRYING
    raise WebhookNotDelivered(f"{url} answered HTTP {status}", permanent=not transient)
