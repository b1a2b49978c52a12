"""Translate an exit into the published `ParticipantExited` and `IntegrationAchieved` contracts."""

import uuid

from outcomes.domain.stay import Exit
from werkstattnetz_shared.events import EventEnvelope, IntegrationAchieved, ParticipantExited

PRODUCER = "outcomes"


def events_of_exit(participant_id: uuid.UUID, exit_: Exit, correlation_id: uuid.UUID) -> list[EventEnvelope]:
    """`ParticipantExited` always, first; `IntegrationAchieved` after it when the exit integrated."""
    exited = ParticipantExited(
        destination=exit_.destination,
        exit_date=exit_.exit_date,
        integrated=exit_.integrated,
        work_area=exit_.work_area,
        funder=exit_.funder,
    )
    envelopes = [
        EventEnvelope.wrap(
            exited, producer=PRODUCER, participant_id=participant_id, correlation_id=correlation_id
        )
    ]
    if exit_.integrated:
        achieved = IntegrationAchieved(
            destination=exit_.destination,
            exit_date=exit_.exit_date,
            work_area=exit_.work_area,
            funder=exit_.funder,
        )
        envelopes.append(
            EventEnvelope.wrap(
                achieved, producer=PRODUCER, participant_id=participant_id, correlation_id=correlation_id
            )
        )
    return envelopes
