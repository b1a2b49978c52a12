"""The events staff are told about, reduced to the coarse facts a mail may carry.

These are the only facts that ever reach a mail: the pseudonymous participant id, the work area or
destination, and dates. Anything else the published events carry (funder, waitlist position, …)
is left out when the events are translated into these triggers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from werkstattnetz_shared.events.vocabulary import Destination, WorkArea


@dataclass(frozen=True)
class ParticipantWasPlaced:
    participant_id: uuid.UUID
    work_area: WorkArea
    placed_on: dt.date


@dataclass(frozen=True)
class ParticipantWasWaitlisted:
    participant_id: uuid.UUID
    work_area: WorkArea
    waitlisted_on: dt.date


@dataclass(frozen=True)
class ParticipantWasIntegrated:
    participant_id: uuid.UUID
    destination: Destination
    exit_date: dt.date
    last_work_area: WorkArea | None


Trigger = ParticipantWasPlaced | ParticipantWasWaitlisted | ParticipantWasIntegrated


@dataclass(frozen=True)
class TriggerEvent:
    """Which published event caused a notification; ties the mail and `NotificationSent` to it."""

    event_id: uuid.UUID
    event_type: str
    correlation_id: uuid.UUID
