"""A staff member's inbox: one item per notification they received, read or unread."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from notifications.domain.kinds import NotificationKind


@dataclass(frozen=True)
class InboxItem:
    item_id: uuid.UUID
    recipient: str
    """The staff member's token subject: only they see the item."""
    trigger_event_id: uuid.UUID
    kind: NotificationKind
    participant_id: uuid.UUID | None
    title: str
    link: str | None
    created_at: dt.datetime
    facts: Mapping[str, Any] = field(default_factory=dict)
    """JSON-ready coarse facts (ids, areas, dates); never personal data."""
    read_at: dt.datetime | None = None
