"""Subject, plain text and HTML of each staff message, rendered from Jinja templates per language.

The wording, including the names of work areas and destinations, lives in `templates/<language>/`
(`_words.txt` holds what several templates share); this module decides which facts a message shows
and how dates and times are written. Messages name no person: they carry the pseudonymous
participant id and a link into the staff front-end, which looks the person up in intake, where
access is checked and audited.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape

from notifications.domain.kinds import Language, NotificationKind

SUBJECT_PREFIX = "[werkstattnetz] "
# Staff work in Germany; expiry times are written as their clocks show them.
STAFF_TIME_ZONE = ZoneInfo("Europe/Berlin")

# Which facts a message lists, in this order. A fact that is missing or None is left out, except
# where None says something itself (see _NONE_IS_A_FACT).
FACTS_SHOWN: dict[NotificationKind, tuple[str, ...]] = {
    NotificationKind.PLACEMENT: ("work_area", "workshop_id", "placed_on"),
    NotificationKind.TRANSFER: ("work_area", "workshop_id", "placed_on"),
    NotificationKind.WAITLISTING: ("work_area", "waitlisted_on"),
    NotificationKind.SEAT_OFFERED: ("work_area", "workshop_id", "expires_at", "offer_id"),
    NotificationKind.OFFER_EXPIRING: ("work_area", "workshop_id", "expires_at", "offer_id"),
    NotificationKind.ABSENCES: (
        "work_area",
        "workshop_id",
        "unexcused_days",
        "streak_started_on",
        "streak_ended_on",
    ),
    NotificationKind.FOLLOW_UP_DUE: ("due_on", "exit_date", "destination"),
    NotificationKind.INTEGRATION: ("destination", "exit_date", "work_area"),
}

# An integration without a work area is someone who left before ever being placed.
_NONE_IS_A_FACT = {(NotificationKind.INTEGRATION, "work_area")}


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class DigestItem:
    kind: NotificationKind
    participant_id: uuid.UUID | None
    facts: Mapping[str, object]
    occurred_at: dt.datetime


def link_to_participant(front_end_base_url: str, participant_id: uuid.UUID) -> str:
    return f"{front_end_base_url.rstrip('/')}/participants/{participant_id}"


class MessageTemplates:
    def __init__(self, front_end_base_url: str) -> None:
        self._front_end_base_url = front_end_base_url
        self._environment = Environment(
            loader=PackageLoader("notifications", "templates"),
            # Only the HTML part is escaped; the subject and text parts are not HTML, and escaping
            # them would show `&amp;` to the reader.
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            # Templates ship with the code: no file system check for changes at every render.
            auto_reload=False,
        )
        self._environment.filters["readable"] = readable

    def render(
        self,
        kind: NotificationKind,
        language: Language,
        participant_id: uuid.UUID | None,
        facts: Mapping[str, object],
    ) -> RenderedMessage:
        message = self._view(language, kind, participant_id, facts)
        return self._rendered(language, "message", message["summary"], message)

    def render_digest(self, language: Language, items: Sequence[DigestItem]) -> RenderedMessage:
        rows = [
            {
                **self._view(language, item.kind, item.participant_id, item.facts),
                "occurred_at": item.occurred_at,
            }
            for item in items
        ]
        subject = self._template(language, "digest.subject.txt").render(items=rows)
        return self._rendered(language, "digest", subject, {"items": rows})

    def _view(
        self,
        language: Language,
        kind: NotificationKind,
        participant_id: uuid.UUID | None,
        facts: Mapping[str, object],
    ) -> dict[str, Any]:
        """What the message and digest templates show of one notification, all as plain strings.

        Plain strings, so the HTML templates escape every one of them; the wording comes from the
        language's `_words.txt`.
        """
        words: Any = self._template(language, "_words.txt").module  # its top-level `set`s
        summary = self._template(language, "summary.txt").render(kind=kind, facts=facts)
        return {
            "summary": " ".join(summary.split()),
            "headline": words.headlines[kind],
            "facts": [
                (
                    words.fact_labels.get(f"{kind}.{name}", words.fact_labels[name]),
                    _fact_text(words, name, value),
                )
                for name, value in facts_shown(kind, facts)
            ],
            "participant_id": participant_id,
            "link": link_to_participant(self._front_end_base_url, participant_id) if participant_id else None,
        }

    def _rendered(
        self, language: Language, name: str, subject: str, context: Mapping[str, Any]
    ) -> RenderedMessage:
        # Collapsing all whitespace keeps a line break inside a fact from starting a mail header.
        return RenderedMessage(
            subject=SUBJECT_PREFIX + " ".join(subject.split()),
            text=self._template(language, f"{name}.txt").render(context),
            html=self._template(language, f"{name}.html").render(context),
        )

    def _template(self, language: Language, name: str) -> Template:
        return self._environment.get_template(f"{language.value}/{name}")


def facts_shown(kind: NotificationKind, facts: Mapping[str, object]) -> list[tuple[str, object]]:
    return [
        (name, facts.get(name))
        for name in FACTS_SHOWN[kind]
        if facts.get(name) is not None or (name in facts and (kind, name) in _NONE_IS_A_FACT)
    ]


def _fact_text(words: Any, name: str, value: object) -> str:
    if name == "work_area":
        return str(words.never_placed) if value is None else str(words.work_areas.get(value, value))
    if name == "destination":
        return str(words.destinations.get(value, value))
    return readable(value)


def readable(value: object) -> str:
    """A fact as staff read it in either language: ISO dates, local times to the minute."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # events carry UTC
        return aware.astimezone(STAFF_TIME_ZONE).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
