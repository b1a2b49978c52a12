"""What staff are told about, reduced to the coarse facts a message may carry.

The translation of consumed events into occasions is where everything a message must not carry
(funder, waitlist position, …) is left behind: `facts` holds only ids, work areas, destinations,
dates and counts, JSON-ready, and never anything that names a young person.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from notifications.domain.kinds import NotificationKind


@dataclass(frozen=True)
class TriggerEvent:
    """Which published event caused a notification; ties its messages and events to it."""

    event_id: uuid.UUID
    event_type: str
    correlation_id: uuid.UUID


@dataclass(frozen=True)
class Occasion:
    kind: NotificationKind
    participant_id: uuid.UUID
    trigger: TriggerEvent
    facts: Mapping[str, Any] = field(default_factory=dict)
    workshop_lead: str | None = None
    """The lead instructor the event names (placements, transfers)."""
    offer_id: uuid.UUID | None = None
    """The seat offer a reminder is about: answering or expiry of the offer cancels it."""
    not_before: dt.datetime | None = None
    """A reminder's moment (an expiring offer: a set time before it runs out)."""
