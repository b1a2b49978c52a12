"""Translate placement's decisions into the published contracts on `placement.events`."""

import uuid

from placement.domain.events import Placed, PlacementEndedOnExit, PlacementEvent, Waitlisted
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
)
from werkstattnetz_shared.events.vocabulary import PlacementEndReason

PRODUCER = "placement"


def published_event(
    event: PlacementEvent, *, correlation_id: uuid.UUID | None, causation_id: uuid.UUID | None
) -> EventEnvelope:
    """`correlation_id` None starts a new flow (e.g. seats filled after a capacity change).

    A decision that names its own cause (a held re-entry, decided when the previous stay's exit
    arrived) answers that enrolment: its event id and flow, not those of the event handled.
    """
    if isinstance(event, Placed | Waitlisted) and event.cause is not None:
        correlation_id, causation_id = event.cause.correlation_id, event.cause.event_id
    return EventEnvelope.wrap(
        _contract_of(event),
        producer=PRODUCER,
        participant_id=event.participant_id,
        correlation_id=correlation_id,
        causation_id=causation_id,
    )


def _contract_of(event: PlacementEvent) -> EventData:
    match event:
        case Placed():
            return ParticipantPlaced(
                work_area=event.work_area, placed_on=event.placed_on, from_waitlist=event.from_waitlist
            )
        case Waitlisted():
            return ParticipantWaitlisted(work_area=event.work_area, position=event.position)
        case PlacementEndedOnExit():
            return PlacementEnded(
                work_area=event.work_area, ended_on=event.ended_on, reason=PlacementEndReason.EXITED
            )
