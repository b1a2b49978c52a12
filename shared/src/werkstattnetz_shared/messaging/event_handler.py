"""What a consumer hands each event to, together with the events it declares it understands.

A consumer only calls the handler for the (event_type, event_version) pairs it declares. Another
version of a known type (a producer already publishing v2) and types it does not care about are
skipped and counted, never dead-lettered: they are not faults of the message.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from werkstattnetz_shared.events.contracts import EventData
from werkstattnetz_shared.events.envelope import EventEnvelope

EventKey = tuple[str, int]
HandleEnvelope = Callable[[EventEnvelope], Awaitable[None]]


@dataclass(frozen=True)
class EventHandler:
    handles: frozenset[EventKey]
    handle: HandleEnvelope

    @classmethod
    def for_contracts(cls, contracts: Iterable[type[EventData]], handle: HandleEnvelope) -> EventHandler:
        return cls(frozenset((c.event_type, c.event_version) for c in contracts), handle)

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(event_type for event_type, _ in self.handles)

    def understands(self, envelope: EventEnvelope) -> bool:
        return (envelope.event_type, envelope.event_version) in self.handles
