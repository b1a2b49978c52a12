"""The staff inbox: listing, counting and marking one's own items, and the live stream (SSE).

The app here is built around the inbox router alone (the service's frame, its database and the
broadcaster, as bootstrap wires them), so these tests need PostgreSQL but no broker. The stream
tests serve it with uvicorn over a real socket, since only a real server shows whether events are
flushed as they happen and whether the server can shut down while a stream is open.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from fastapi import FastAPI

import notifications
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.inbox import InboxItem
from notifications.domain.kinds import NotificationKind
from notifications.entrypoints.inbox_routes import inbox_router
from notifications.entrypoints.inbox_stream import InboxBroadcaster
from notifications.settings import NotificationsSettings
from tests.support.served_app import free_port
from tests.support.service_app import eventually, running_app
from tests.support.tokens import auth_header
from werkstattnetz_shared.db.pool import connect_pool
from werkstattnetz_shared.web.app import create_service_app
from werkstattnetz_shared.web.lifespan import service_database
from werkstattnetz_shared.web.serving import server_config

pytestmark = pytest.mark.integration

MIGRATIONS = Path(notifications.__file__).parent / "migrations"
ALICE = "alice"
BOB = "bob"
KEEPALIVE_S = 0.5


def inbox_app(settings: NotificationsSettings) -> FastAPI:
    """The inbox router in the service's frame, wired as bootstrap wires it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service_database(app, settings, MIGRATIONS) as pool:
            broadcaster = InboxBroadcaster(pool, health_check_interval_s=0.5)
            app.state.unit_of_work = lambda: NotificationsUnitOfWork(pool, settings)
            app.state.inbox_broadcaster = broadcaster
            app.state.inbox_keepalive_s = KEEPALIVE_S
            listening = asyncio.create_task(broadcaster.run())
            try:
                yield
            finally:
                broadcaster.close()
                listening.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await listening

    app = create_service_app(title="inbox under test", description="", settings=settings, lifespan=lifespan)
    app.include_router(inbox_router)
    return app


class ServerThatEndsStreamsFirst(uvicorn.Server):
    """uvicorn waits for open responses before the lifespan shuts down; this ends the streams
    first, as the service's own serving must (see the report on wiring)."""

    def __init__(self, app: FastAPI, settings: NotificationsSettings) -> None:
        super().__init__(server_config(app, settings))
        self._app = app

    async def shutdown(self, sockets: Any = None) -> None:
        self._app.state.inbox_broadcaster.close()
        await super().shutdown(sockets)


class Served:
    def __init__(self, app: FastAPI, settings: NotificationsSettings) -> None:
        self.app = app
        self.base_url = f"http://{settings.http_host}:{settings.http_port}"
        self.server = ServerThatEndsStreamsFirst(app, settings)
        self.thread = threading.Thread(target=self.server.run, name="inbox-uvicorn", daemon=True)

    @property
    def broadcaster(self) -> InboxBroadcaster:
        broadcaster: InboxBroadcaster = self.app.state.inbox_broadcaster
        return broadcaster

    async def stop(self, timeout_s: float = 30.0) -> None:
        self.server.should_exit = True
        await asyncio.to_thread(self.thread.join, timeout_s)


@pytest.fixture
def settings(postgres_server) -> NotificationsSettings:  # type: ignore[no-untyped-def]
    return NotificationsSettings(
        database_url=postgres_server.create_database(f"notifications_inbox_{uuid.uuid4().hex[:8]}"),
        http_port=free_port(),
    )


@pytest.fixture
async def served(settings: NotificationsSettings) -> AsyncIterator[Served]:
    served = Served(inbox_app(settings), settings)
    served.thread.start()
    try:
        await eventually(_async(lambda: served.server.started), timeout_s=30, what="uvicorn serving")
        await eventually(_async(served.broadcaster.listening.is_set), timeout_s=10, what="LISTEN")
        yield served
    finally:
        await served.stop()


@pytest.fixture
async def pool(served: Served, settings: NotificationsSettings) -> AsyncIterator[asyncpg.Pool]:
    """The test's own pool (the served app's belongs to uvicorn's event loop)."""
    pool = await connect_pool(settings.database_url)
    yield pool
    await pool.close()


def an_item(recipient: str, *, minutes_ago: float = 0, participant_id: uuid.UUID | None = None) -> InboxItem:
    return InboxItem(
        item_id=uuid.uuid4(),
        recipient=recipient,
        trigger_event_id=uuid.uuid4(),
        kind=NotificationKind.PLACEMENT,
        participant_id=participant_id or uuid.uuid4(),
        title="Placed in metal workshop",
        link="https://werkstatt.example/participants/x",
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago),
        facts={"area": "metal"},
    )


async def commit_items(unit_of_work: Callable[[], NotificationsUnitOfWork], *items: InboxItem) -> None:
    for item in items:
        async with unit_of_work() as uow:
            assert await uow.staff_inbox.add(item)
            await uow.commit()


async def test_each_staff_member_lists_pages_and_marks_only_their_own_items(
    settings: NotificationsSettings,
) -> None:
    app = inbox_app(settings)
    async with running_app(app) as client:
        unit_of_work = app.state.unit_of_work
        alices = [an_item(ALICE, minutes_ago=10 - n) for n in range(5)]  # alices[4] is the newest
        bobs = [an_item(BOB, minutes_ago=n) for n in range(2)]
        await commit_items(unit_of_work, *alices, *bobs)
        async with unit_of_work() as uow:
            again = dataclasses.replace(alices[0], item_id=uuid.uuid4())
            assert not await uow.staff_inbox.add(again), "one item per event, kind and recipient"

        for method, path in (("GET", ""), ("GET", "/unread-count"), ("POST", "/read"), ("GET", "/stream")):
            assert (await client.request(method, f"/v1/inbox{path}")).status_code == 401

        alice, bob = auth_header("caseworker", subject=ALICE), auth_header("workshop_lead", subject=BOB)
        first = (await client.get("/v1/inbox?limit=2", headers=alice)).json()
        assert [i["item_id"] for i in first["items"]] == [str(alices[4].item_id), str(alices[3].item_id)]
        assert first["unread_count"] == 5
        assert first["items"][0] == {
            "item_id": str(alices[4].item_id),
            "kind": "placement",
            "participant_id": str(alices[4].participant_id),
            "title": "Placed in metal workshop",
            "link": "https://werkstatt.example/participants/x",
            "facts": {"area": "metal"},
            "created_at": first["items"][0]["created_at"],
            "read_at": None,
        }
        second = (await client.get(f"/v1/inbox?limit=2&after={first['next_after']}", headers=alice)).json()
        third = (await client.get(f"/v1/inbox?limit=2&after={second['next_after']}", headers=alice)).json()
        assert [i["item_id"] for i in second["items"] + third["items"]] == [
            str(item.item_id) for item in reversed(alices[:3])
        ]
        assert third["next_after"] is None

        foreign_after = await client.get(f"/v1/inbox?after={bobs[0].item_id}", headers=alice)
        assert foreign_after.status_code == 422
        assert foreign_after.json()["error"]["details"][0]["field"] == "after"

        marked = await client.post(
            "/v1/inbox/read",
            json={"item_ids": [str(alices[0].item_id), str(alices[1].item_id), str(bobs[0].item_id)]},
            headers=alice,
        )
        assert marked.status_code == 200
        assert marked.json() == {"marked": 2, "unread_count": 3}
        assert (await client.get("/v1/inbox/unread-count", headers=bob)).json() == {"unread_count": 2}
        bobs_view = (await client.get("/v1/inbox", headers=bob)).json()
        assert {i["item_id"] for i in bobs_view["items"]} == {str(item.item_id) for item in bobs}
        assert all(i["read_at"] is None for i in bobs_view["items"])

        unread = (await client.get("/v1/inbox?unread=true", headers=alice)).json()
        assert {i["item_id"] for i in unread["items"]} == {str(item.item_id) for item in alices[2:]}

        refused_bodies: list[dict[str, Any]] = [
            {},
            {"all": False},
            {"all": True, "item_ids": [str(alices[2].item_id)]},
            {"item_ids": []},
        ]
        for body in refused_bodies:
            refused = await client.post("/v1/inbox/read", json=body, headers=alice)
            assert refused.status_code == 422, body
        assert (await client.post("/v1/inbox/read", json={"all": True}, headers=alice)).json() == {
            "marked": 3,
            "unread_count": 0,
        }
        assert (await client.get("/v1/inbox/unread-count", headers=bob)).json() == {"unread_count": 2}

        async with unit_of_work() as uow:
            assert await uow.staff_inbox.erase_participant(bobs[0].participant_id) == 1
            await uow.commit()
        assert (await client.get("/v1/inbox/unread-count", headers=bob)).json() == {"unread_count": 1}


async def test_the_stream_pushes_the_callers_new_items_and_nobody_elses(
    served: Served, pool: asyncpg.Pool, settings: NotificationsSettings
) -> None:
    unit_of_work = _unit_of_work(pool, settings)
    async with open_stream(served, ALICE) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.headers["cache-control"] == "no-store"
        assert stream.headers["x-accel-buffering"] == "no"
        first, for_bob, second = an_item(ALICE), an_item(BOB), an_item(ALICE)

        await commit_items(unit_of_work, first)
        event = await stream.next_notification()
        assert event["id"] == str(first.item_id)
        assert event["data"]["title"] == "Placed in metal workshop"
        assert event["data"]["read_at"] is None

        await commit_items(unit_of_work, for_bob, second)
        assert (await stream.next_notification())["id"] == str(second.item_id), "bob's item is not alice's"
        assert await stream.keep_alive_within(KEEPALIVE_S * 4)

    await eventually(
        _async(lambda: served.broadcaster.open_streams(ALICE) == 0), timeout_s=5, what="stream closed"
    )


async def test_a_stream_resumed_with_last_event_id_replays_what_was_missed(
    served: Served, pool: asyncpg.Pool, settings: NotificationsSettings
) -> None:
    unit_of_work = _unit_of_work(pool, settings)
    seen, missed = (
        an_item(ALICE, minutes_ago=3),
        [an_item(ALICE, minutes_ago=2), an_item(ALICE, minutes_ago=1)],
    )
    await commit_items(unit_of_work, seen, *missed, an_item(BOB))

    async with open_stream(served, ALICE, last_event_id=str(seen.item_id)) as stream:
        replayed = [await stream.next_notification(), await stream.next_notification()]
        assert [event["id"] for event in replayed] == [str(item.item_id) for item in missed]
        live = an_item(ALICE)
        await commit_items(unit_of_work, live)
        assert (await stream.next_notification())["id"] == str(live.item_id)

    # Someone else's id (or no id at all) as Last-Event-ID replays nothing.
    async with open_stream(served, BOB, last_event_id=str(seen.item_id)) as stream:
        assert await stream.keep_alive_within(KEEPALIVE_S * 4)


async def test_streams_end_when_the_listener_reconnected_so_clients_resume(
    served: Served, pool: asyncpg.Pool, settings: NotificationsSettings
) -> None:
    unit_of_work = _unit_of_work(pool, settings)
    async with open_stream(served, ALICE) as stream:
        seen = an_item(ALICE)
        await commit_items(unit_of_work, seen)
        assert (await stream.next_notification())["id"] == str(seen.item_id)
        async with pool.acquire() as connection:
            await connection.execute(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND (query LIKE 'LISTEN%' OR query = 'SELECT 1')
                """
            )
        missed = an_item(ALICE)
        await commit_items(unit_of_work, missed)
        assert await stream.ends_within(10), "a stream that may have missed items is ended"

    async with open_stream(served, ALICE, last_event_id=str(seen.item_id)) as stream:
        assert (await stream.next_notification())["id"] == str(missed.item_id)


async def test_an_open_stream_does_not_hold_up_the_shutdown(served: Served) -> None:
    async with open_stream(served, ALICE) as stream:
        started = time.monotonic()
        await served.stop(timeout_s=10)
        assert not served.thread.is_alive()
        assert time.monotonic() - started < 5
        assert await stream.ends_within(2)


class EventStream:
    """Reads a text/event-stream response block by block."""

    def __init__(self, response: httpx.Response) -> None:
        self.headers = response.headers
        self._lines = response.aiter_lines()

    async def next_block(self, timeout_s: float = 5.0) -> dict[str, str] | None:
        """The next event's fields (a comment under ":"); None when the stream ended."""
        fields: dict[str, str] = {}
        async with asyncio.timeout(timeout_s):
            while True:
                try:
                    line = await anext(self._lines)
                except (StopAsyncIteration, httpx.RemoteProtocolError, httpx.ReadError):
                    return None
                if line == "":
                    if fields:
                        return fields
                    continue
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")

    async def next_notification(self, timeout_s: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            block = await self.next_block(deadline - time.monotonic())
            assert block is not None, "the stream ended"
            if block.get("event") == "notification":
                return {"id": block["id"], "data": json.loads(block["data"])}

    async def keep_alive_within(self, timeout_s: float) -> bool:
        block = await self.next_block(timeout_s)
        while block is not None and "" not in block:
            block = await self.next_block(timeout_s)
        return block is not None and block[""] == "keep-alive"

    async def ends_within(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while await self.next_block(deadline - time.monotonic()) is not None:
            pass
        return True


@asynccontextmanager
async def open_stream(
    served: Served, subject: str, *, last_event_id: str | None = None
) -> AsyncIterator[EventStream]:
    headers = auth_header("caseworker", subject=subject)
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    async with (
        httpx.AsyncClient(base_url=served.base_url, timeout=10) as client,
        client.stream("GET", "/v1/inbox/stream", headers=headers) as response,
    ):
        assert response.status_code == 200
        stream = EventStream(response)
        # The first block (the reconnection delay) is sent once the stream is subscribed.
        assert (await stream.next_block()) == {"retry": "3000"}
        yield stream


def _unit_of_work(
    pool: asyncpg.Pool, settings: NotificationsSettings
) -> Callable[[], NotificationsUnitOfWork]:
    return lambda: NotificationsUnitOfWork(pool, settings)


def _async(check: Callable[[], bool]) -> Callable[[], Any]:
    async def checked() -> bool:
        return check()

    return checked
