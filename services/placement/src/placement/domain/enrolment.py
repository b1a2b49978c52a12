"""An enrolment as placement hears it, and a re-entry held until the previous stay's exit."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from werkstattnetz_shared.events.vocabulary import Funder, WorkArea


@dataclass(frozen=True)
class Enrolment:
    """The coarse facts of a `ParticipantEnrolled` that placement needs.

    `enrolment_id` tells one stay from a later re-entry; events written before it existed have none.
    `enrolled_at` is the moment intake enrolled the person (the event's `occurred_at`): the
    waitlist's order. `funders` are every funder of the stay (co-funding), the main one first.
    """

    participant_id: uuid.UUID
    preferred_work_areas: tuple[WorkArea, ...]
    funder: Funder
    enrolled_on: dt.date
    enrolment_id: uuid.UUID | None = None
    re_entry: bool = False
    enrolled_at: dt.datetime | None = None
    funders: tuple[Funder, ...] = ()

    @property
    def all_funders(self) -> tuple[Funder, ...]:
        return self.funders or (self.funder,)


@dataclass(frozen=True)
class Cause:
    """The event a decision answers: its id becomes the causation id, its flow the correlation id."""

    event_id: uuid.UUID
    correlation_id: uuid.UUID


@dataclass(frozen=True)
class HeldEnrolment:
    """A re-entry heard before the exit of the stay still active; applied when that exit arrives.

    Its decision then answers the enrolment itself (`cause`), not the exit that released it.
    """

    enrolment: Enrolment
    cause: Cause
    heard_at: dt.datetime
