"""Wrap a service's event handling so each event has exactly one effect.

The inbox row and the handler's writes (and any events it publishes through the outbox) commit in
one transaction; a redelivered event finds its inbox row and does nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from werkstattnetz_shared.db.unit_of_work import PostgresUnitOfWork
from werkstattnetz_shared.events.contracts import EventData, parse_event_data
from werkstattnetz_shared.events.envelope import EventEnvelope
from werkstattnetz_shared.messaging.event_handler import EventHandler

UoW = TypeVar("UoW", bound=PostgresUnitOfWork)
Dispatch = Callable[[EventEnvelope, EventData, UoW], Awaitable[None]]


def handle_each_event_once(
    unit_of_work: Callable[[], UoW],
    dispatch: Dispatch[UoW],
    contracts: Iterable[type[EventData]],
) -> EventHandler:
    """An `EventHandler` for exactly these contracts (type and version) that runs `dispatch` once
    per event, inside the transaction that also claims the event's inbox row."""

    async def handle(envelope: EventEnvelope) -> None:
        data = parse_event_data(envelope)
        async with unit_of_work() as uow:
            if not await uow.inbox.claim(envelope):
                return
            await dispatch(envelope, data, uow)
            await uow.commit()

    return EventHandler.for_contracts(contracts, handle)
