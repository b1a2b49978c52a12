"""Translate a reported run of unexcused days into `AbsenceThresholdReached` on `placement.events`."""

from __future__ import annotations

import uuid

from placement.domain.absence_streaks import UnexcusedStreak
from werkstattnetz_shared.events import AbsenceThresholdReached, EventEnvelope

PRODUCER = "placement"


def absence_threshold_reached(streak: UnexcusedStreak, *, correlation_id: uuid.UUID) -> EventEnvelope:
    """The recording request's correlation id carries over; the event starts no other flow."""
    return EventEnvelope.wrap(
        AbsenceThresholdReached(
            workshop_id=streak.workshop_id,
            work_area=streak.work_area,
            streak_started_on=streak.started_on,
            streak_ended_on=streak.ended_on,
            unexcused_days=streak.length,
            threshold=streak.threshold,
        ),
        producer=PRODUCER,
        participant_id=streak.participant_id,
        correlation_id=correlation_id,
    )
