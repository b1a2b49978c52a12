"""The sender signs each call so a partner can verify it, and says whether a failed call is worth retrying.

The partner is a real HTTP server on 127.0.0.1 (tests/support/webhook_receiver.py), not a mock.
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import AsyncIterator

import pytest

from notifications.adapters.webhook_sender import WebhookNotDelivered, WebhookSender
from notifications.domain.webhook_signature import EVENT_TYPE_HEADER, TIMESTAMP_HEADER
from tests.support.webhook_receiver import WebhookReceiver

PATH = "/hooks/werkstattnetz"
SECRET = "partner-secret"
BODY = json.dumps({"kind": "placement", "participant_id": str(uuid.uuid4())}).encode()


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    async with WebhookReceiver({PATH: SECRET}) as partner:
        yield partner


@pytest.fixture
async def sender() -> AsyncIterator[WebhookSender]:
    webhook_sender = WebhookSender(timeout_s=0.5)
    await webhook_sender.start()
    yield webhook_sender
    await webhook_sender.close()


async def send(sender: WebhookSender, url: str, secret: str = SECRET, key: uuid.UUID | None = None) -> None:
    await sender.send(
        url,
        secret,
        BODY,
        idempotency_key=key or uuid.uuid4(),
        event_type="placement",
        now=int(time.time()),
    )


async def test_a_delivered_call_verifies_at_the_partner(
    sender: WebhookSender, receiver: WebhookReceiver
) -> None:
    key = uuid.uuid4()
    await send(sender, receiver.url(PATH), key=key)

    [call] = receiver.calls(PATH)
    assert call.signature_verified is True
    assert call.body == BODY
    assert call.header("content-type") == "application/json"
    assert call.header(EVENT_TYPE_HEADER) == "placement"
    assert call.header(TIMESTAMP_HEADER) is not None
    assert receiver.distinct_idempotency_keys(PATH) == {str(key)}


async def test_retries_of_one_delivery_carry_one_idempotency_key(
    sender: WebhookSender, receiver: WebhookReceiver
) -> None:
    key = uuid.uuid4()
    receiver.fail_next(2)
    for _ in range(2):
        with pytest.raises(WebhookNotDelivered):
            await send(sender, receiver.url(PATH), key=key)
    await send(sender, receiver.url(PATH), key=key)

    assert [call.answered_status for call in receiver.calls(PATH)] == [503, 503, 200]
    assert receiver.distinct_idempotency_keys(PATH) == {str(key)}


async def test_a_partner_that_is_down_is_worth_retrying(
    sender: WebhookSender, receiver: WebhookReceiver
) -> None:
    receiver.fail_next(1, status=503)
    with pytest.raises(WebhookNotDelivered) as failed:
        await send(sender, receiver.url(PATH))
    assert failed.value.permanent is False


@pytest.mark.parametrize("status", [408, 429, 500, 502])
async def test_overload_and_server_errors_are_worth_retrying(
    sender: WebhookSender, receiver: WebhookReceiver, status: int
) -> None:
    receiver.reject_always(status)
    with pytest.raises(WebhookNotDelivered) as failed:
        await send(sender, receiver.url(PATH))
    assert failed.value.permanent is False


@pytest.mark.parametrize("status", [400, 404, 410, 422, 301, 302])
async def test_a_partner_that_refuses_the_call_will_refuse_it_again(
    sender: WebhookSender, receiver: WebhookReceiver, status: int
) -> None:
    receiver.reject_always(status)
    with pytest.raises(WebhookNotDelivered) as failed:
        await send(sender, receiver.url(PATH))
    assert failed.value.permanent is True
    assert len(receiver.calls(PATH)) == 1


async def test_a_wrong_secret_is_refused_for_good(sender: WebhookSender, receiver: WebhookReceiver) -> None:
    with pytest.raises(WebhookNotDelivered) as failed:
        await send(sender, receiver.url(PATH), secret="outdated-secret")

    assert failed.value.permanent is True
    [call] = receiver.calls(PATH)
    assert (call.signature_verified, call.rejection_reason, call.answered_status) == (False, "mismatch", 401)


async def test_a_refused_connection_is_worth_retrying(sender: WebhookSender) -> None:
    with socket.socket() as probe:  # bound but not listening: connecting is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        with pytest.raises(WebhookNotDelivered) as failed:
            await send(sender, f"http://127.0.0.1:{port}{PATH}")
    assert failed.value.permanent is False


async def test_a_partner_that_hangs_is_worth_retrying(
    sender: WebhookSender, receiver: WebhookReceiver
) -> None:
    receiver.respond_slowly(5.0)
    started = time.monotonic()
    with pytest.raises(WebhookNotDelivered) as failed:
        await send(sender, receiver.url(PATH))
    assert failed.value.permanent is False
    assert time.monotonic() - started < 3.0


async def test_a_url_that_cannot_be_called_is_refused_for_good(sender: WebhookSender) -> None:
    with pytest.raises(WebhookNotDelivered) as failed:
        await send(sender, "ftp://partner.example/hooks")
    assert failed.value.permanent is True


async def test_sending_before_start_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError):
        await send(WebhookSender(timeout_s=1.0), "http://127.0.0.1:9/hooks")
