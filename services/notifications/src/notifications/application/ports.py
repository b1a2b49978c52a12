"""The ports notifications' use cases work through; adapters implement them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from notifications.domain.delivery import Delivery
from notifications.domain.kinds import Language, NotificationKind


class Rendered(Protocol):
    @property
    def subject(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def html(self) -> str: ...


@dataclass(frozen=True)
class DigestEntry:
    kind: NotificationKind
    participant_id: uuid.UUID | None
    facts: Mapping[str, Any]
    occurred_at: dt.datetime


class MessageRendering(Protocol):
    def render(
        self,
        kind: NotificationKind,
        language: Language,
        participant_id: uuid.UUID | None,
        facts: Mapping[str, Any],
    ) -> Rendered: ...

    def render_digest(self, language: Language, entries: Sequence[DigestEntry]) -> Rendered: ...

    def link(self, participant_id: uuid.UUID) -> str: ...


class NotDelivered(Exception):
    """The channel did not take the message. `permanent`: refused for good (no retry helps)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Mailer(Protocol):
    async def send(self, delivery: Delivery) -> None:
        """Return once the mail server accepted the mail; raise `NotDelivered` otherwise."""


class WebhookCaller(Protocol):
    async def call(self, delivery: Delivery, secret: str) -> None:
        """Return once the partner answered 2xx; raise `NotDelivered` otherwise."""
