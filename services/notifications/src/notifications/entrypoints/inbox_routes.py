"""The staff inbox over HTTP: each staff member lists, counts, marks and streams their own items.

Whose items they are comes from the token's subject only; ids of other people's items find
nothing and change nothing, without saying whether they exist.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, StrictBool

from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.inbox import InboxItem
from notifications.entrypoints.inbox_stream import InboxBroadcaster
from werkstattnetz_shared.faults import is_infrastructure_failure
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import PageLimit
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, error_responses
from werkstattnetz_shared.web.request_models import RequestModel

log = logging.getLogger(__name__)

KEEPALIVE_S = 15.0
"""Default pause between `: keep-alive` comments; `app.state.inbox_keepalive_s` overrides it."""
RECONNECT_AFTER_MS = 3000
"""How long a browser's EventSource waits before reconnecting after the stream ended."""
MAX_ITEMS_MARKED_AT_ONCE = 500

inbox_router = APIRouter(prefix="/v1/inbox", tags=["inbox"], responses=error_responses(401, 403, 503))

AnyStaffMember = Annotated[StaffMember, require_roles(*StaffRole)]
UnitOfWork = UnitOfWorkOf[NotificationsUnitOfWork]


class InboxItemView(BaseModel):
    item_id: uuid.UUID
    kind: str = Field(description="The notification kind, e.g. placement or absences.")
    participant_id: uuid.UUID | None
    title: str
    link: str | None
    facts: dict[str, Any] = Field(description="Coarse facts (ids, areas, dates); never personal data.")
    created_at: dt.datetime
    read_at: dt.datetime | None


class InboxPage(BaseModel):
    items: list[InboxItemView]
    next_after: uuid.UUID | None = Field(description="Pass as `after` to get the next (older) page.")
    unread_count: int


class UnreadCount(BaseModel):
    unread_count: int


class MarkRead(RequestModel):
    """Either `item_ids` or `all: true`."""

    item_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=MAX_ITEMS_MARKED_AT_ONCE)
    all: StrictBool | None = Field(default=None, description="Mark every unread item read.")


class MarkedRead(BaseModel):
    marked: int = Field(description="Items that were unread and are read now.")
    unread_count: int


@inbox_router.get("", response_model=InboxPage, responses=error_responses(422))
async def list_inbox(
    staff: AnyStaffMember,
    uow: UnitOfWork,
    unread: Annotated[bool, Query(description="Only unread items")] = False,
    after: Annotated[uuid.UUID | None, Query(description="item_id of the last item seen")] = None,
    limit: PageLimit = 50,
) -> InboxPage:
    """The caller's items, newest first."""
    async with uow:
        if after is not None and await uow.staff_inbox.get(staff.subject, after) is None:
            raise ApiError(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "after_must_name_an_item",
                f"no item {after} in your inbox: pass the item_id of the last item of the previous page",
                "after",
            )
        items = await uow.staff_inbox.page(staff.subject, unread_only=unread, after=after, limit=limit)
        unread_count = await uow.staff_inbox.unread_count(staff.subject)
    views = [item_view(item) for item in items]
    next_after = views[-1].item_id if len(views) == limit else None
    return InboxPage(items=views, next_after=next_after, unread_count=unread_count)


@inbox_router.get("/unread-count", response_model=UnreadCount)
async def count_unread(staff: AnyStaffMember, uow: UnitOfWork) -> UnreadCount:
    async with uow:
        return UnreadCount(unread_count=await uow.staff_inbox.unread_count(staff.subject))


@inbox_router.post("/read", response_model=MarkedRead, responses=error_responses(422))
async def mark_read(staff: AnyStaffMember, uow: UnitOfWork, body: MarkRead) -> MarkedRead:
    """Marks the caller's items read; ids of items that are not theirs are ignored."""
    everything = body.all is True
    if everything == (body.item_ids is not None):
        raise ApiError(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            "item_ids_or_all",
            "give either item_ids or all: true, not both and not neither",
            "body",
        )
    now = dt.datetime.now(dt.UTC)
    async with uow:
        if body.item_ids is not None:
            marked = await uow.staff_inbox.mark_read(staff.subject, body.item_ids, now)
        else:
            marked = await uow.staff_inbox.mark_all_read(staff.subject, now)
        unread_count = await uow.staff_inbox.unread_count(staff.subject)
        await uow.commit()
    return MarkedRead(marked=marked, unread_count=unread_count)


@inbox_router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Server-Sent Events: `event: notification`, `id:` the item_id, `data:` the item "
            "as in the list. Reconnect with `Last-Event-ID` to be replayed what was missed; without "
            "it, refresh the list whenever the stream (re)opens.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        },
        **error_responses(422),
    },
)
async def stream_inbox(
    staff: AnyStaffMember,
    request: Request,
    last_event_id: Annotated[str | None, Header(description="The id of the last event received")] = None,
) -> StreamingResponse:
    """The caller's new items as they arrive."""
    events = _inbox_events(
        request,
        staff.subject,
        _item_id_or_none(last_event_id),
        request.app.state.inbox_broadcaster,
        request.app.state.unit_of_work,
        getattr(request.app.state, "inbox_keepalive_s", KEEPALIVE_S),
    )
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


async def _inbox_events(
    request: Request,
    recipient: str,
    resume_after: uuid.UUID | None,
    broadcaster: InboxBroadcaster,
    unit_of_work: Callable[[], NotificationsUnitOfWork],
    keepalive_s: float,
) -> AsyncIterator[str]:
    # Subscribed before the replay is read, so an item committed in between is not missed.
    with broadcaster.subscribe(recipient) as subscription:
        yield f"retry: {RECONNECT_AFTER_MS}\n\n"
        replayed: set[uuid.UUID] = set()
        try:
            if resume_after is not None:
                async with unit_of_work() as uow:
                    missed = await uow.staff_inbox.items_after(recipient, resume_after)
                for item in missed:
                    replayed.add(item.item_id)
                    yield _event(item)
            # Ends when the client leaves, and when the broadcaster ends the subscription (the
            # process shuts down, the stream fell behind, or notifications may have been lost).
            while not subscription.ended and not await request.is_disconnected():
                item_id = await subscription.next_item_id(keepalive_s)
                if item_id is None:
                    if not subscription.ended:
                        yield ": keep-alive\n\n"
                    continue
                if item_id in replayed:
                    continue
                async with unit_of_work() as uow:
                    found = await uow.staff_inbox.get(recipient, item_id)
                if found is not None:  # None: erased meanwhile
                    yield _event(found)
        except Exception as error:
            if not is_infrastructure_failure(error):
                raise
            # The client reconnects with its Last-Event-ID once the database is back.
            log.warning("inbox stream ended, the database is unavailable: %r", error)


def _event(item: InboxItem) -> str:
    return f"id: {item.item_id}\nevent: notification\ndata: {item_view(item).model_dump_json()}\n\n"


def _item_id_or_none(last_event_id: str | None) -> uuid.UUID | None:
    # Whatever the client sends back is only a hint: something that is no item id replays nothing.
    try:
        return uuid.UUID(last_event_id) if last_event_id else None
    except ValueError:
        return None


def item_view(item: InboxItem) -> InboxItemView:
    return InboxItemView(
        item_id=item.item_id,
        kind=item.kind.value,
        participant_id=item.participant_id,
        title=item.title,
        link=item.link,
        facts=dict(item.facts),
        created_at=item.created_at,
        read_at=item.read_at,
    )
