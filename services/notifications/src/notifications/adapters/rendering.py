"""The templates as the use cases see them: stored facts (JSON text) typed back for rendering."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from notifications.adapters.message_templates import (
    DigestItem,
    MessageTemplates,
    RenderedMessage,
    link_to_participant,
)
from notifications.application.ports import DigestEntry
from notifications.domain.kinds import Language, NotificationKind
from werkstattnetz_shared.events.vocabulary import Destination, WorkArea

_DAYS = ("placed_on", "waitlisted_on", "streak_started_on", "streak_ended_on", "exit_date", "due_on")
_MOMENTS = ("expires_at",)


class Rendering:
    def __init__(self, front_end_base_url: str) -> None:
        self._base_url = front_end_base_url
        self._templates = MessageTemplates(front_end_base_url)

    def render(
        self,
        kind: NotificationKind,
        language: Language,
        participant_id: uuid.UUID | None,
        facts: Mapping[str, Any],
    ) -> RenderedMessage:
        return self._templates.render(kind, language, participant_id, typed(facts))

    def render_digest(self, language: Language, entries: Sequence[DigestEntry]) -> RenderedMessage:
        items = [DigestItem(e.kind, e.participant_id, typed(e.facts), e.occurred_at) for e in entries]
        return self._templates.render_digest(language, items)

    def link(self, participant_id: uuid.UUID) -> str:
        return link_to_participant(self._base_url, participant_id)


def typed(facts: Mapping[str, Any]) -> dict[str, object]:
    """Work areas and destinations as enums, days as dates, moments as aware datetimes."""
    result: dict[str, object] = dict(facts)
    if isinstance(area := facts.get("work_area"), str):
        result["work_area"] = WorkArea(area)
    if isinstance(destination := facts.get("destination"), str):
        result["destination"] = Destination(destination)
    for key in _DAYS:
        if isinstance(value := facts.get(key), str):
            result[key] = dt.date.fromisoformat(value)
    for key in _MOMENTS:
        if isinstance(value := facts.get(key), str):
            result[key] = dt.datetime.fromisoformat(value)
    return result
