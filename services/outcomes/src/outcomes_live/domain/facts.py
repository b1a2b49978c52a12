"""What the worker keeps of each participant: the facts of their events, keyed by event id.

Keeping facts (not running counters) is what makes every update idempotent and order-tolerant:
a redelivered event adds a fact that is already there and changes nothing, and the figures are
always derived from the whole set of facts by their own dates, whatever order they arrived in.
Only coarse attributes are kept, as the events carry them: no names, no free text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FactKind(StrEnum):
    REFERRAL = "referral"
    ENROLMENT = "enrolment"
    PLACED = "placed"
    WAITLISTED = "waitlisted"
    PLACEMENT_ENDED = "placement_ended"
    EXIT = "exit"
    INTEGRATION = "integration"  # IntegrationAchieved: an exit fact that says "integrated"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class Fact:
    """One event's facts. `day` is the business date the event names (received, enrolled, placed,
    ended, exited, recorded; for a waitlisting, which names none, the day it happened); `at` is the
    event's `occurred_at` and orders facts of the same day."""

    event_id: str
    kind: FactKind
    at: dt.datetime
    day: dt.date
    cause: str | None = None
    """The causation id: placement's decisions on an enrolment name that enrolment's event."""
    stay_key: str | None = None
    """Enrolments: the enrolment id (or the event id where intake named none)."""
    work_area: str | None = None
    funders: tuple[str, ...] = ()
    destination: str | None = None
    integrated: bool | None = None
    jobcenter_integrated: bool | None = None
    """Exits: the Jobcenter's view where outcomes stated it (else it follows from the destination)."""
    situation: str | None = None
    exit_date: dt.date | None = None
    """Follow-ups that name the exit they are about."""

    @property
    def order(self) -> tuple[dt.date, dt.datetime]:
        return (self.day, self.at)

    def to_json(self) -> dict[str, Any]:
        """A plain JSON object (no framework metadata), with only the attributes that are set."""
        out: dict[str, Any] = {"k": self.kind.value, "at": self.at.isoformat(), "d": self.day.isoformat()}
        optional = {
            "c": self.cause,
            "s": self.stay_key,
            "a": self.work_area,
            "f": list(self.funders) or None,
            "dest": self.destination,
            "i": self.integrated,
            "j": self.jobcenter_integrated,
            "sit": self.situation,
            "x": self.exit_date.isoformat() if self.exit_date else None,
        }
        out.update({key: value for key, value in optional.items() if value is not None})
        return out

    @classmethod
    def from_json(cls, event_id: str, raw: dict[str, Any]) -> Fact:
        exit_date = raw.get("x")
        return cls(
            event_id=event_id,
            kind=FactKind(raw["k"]),
            at=dt.datetime.fromisoformat(raw["at"]),
            day=dt.date.fromisoformat(raw["d"]),
            cause=raw.get("c"),
            stay_key=raw.get("s"),
            work_area=raw.get("a"),
            funders=tuple(raw.get("f") or ()),
            destination=raw.get("dest"),
            integrated=raw.get("i"),
            jobcenter_integrated=raw.get("j"),
            situation=raw.get("sit"),
            exit_date=dt.date.fromisoformat(exit_date) if exit_date else None,
        )


@dataclass(frozen=True)
class ParticipantFacts:
    """Every fact heard of one participant, by event id."""

    facts: dict[str, Fact] = field(default_factory=dict)

    def with_fact(self, fact: Fact) -> ParticipantFacts:
        """The facts with `fact` added; the very same object when its event was heard before, so
        callers can tell a redelivery by identity and write nothing."""
        if fact.event_id in self.facts:
            return self
        return ParticipantFacts({**self.facts, fact.event_id: fact})

    def of_kind(self, *kinds: FactKind) -> list[Fact]:
        return [fact for fact in self.facts.values() if fact.kind in kinds]

    def to_json(self) -> dict[str, Any]:
        return {event_id: fact.to_json() for event_id, fact in self.facts.items()}

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> ParticipantFacts:
        if not raw:
            return cls()
        return cls({event_id: Fact.from_json(event_id, value) for event_id, value in raw.items()})
