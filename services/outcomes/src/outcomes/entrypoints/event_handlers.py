"""Maps the events outcomes consumes onto its use cases; the inbox check happens around this."""

from __future__ import annotations

from collections.abc import Callable

from outcomes.application import participant_facts
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.participant import Enrolment
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    ParticipantEnrolled,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
)
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.idempotent import handle_each_event_once

HANDLED_CONTRACTS = (ParticipantEnrolled, ParticipantPlaced, ParticipantWaitlisted, PlacementEnded)


async def dispatch(envelope: EventEnvelope, data: EventData, uow: OutcomesUnitOfWork) -> None:
    participant_id = envelope.participant_id
    match data:
        case ParticipantEnrolled():
            enrolment = Enrolment(
                enrolled_on=data.enrolled_on,
                funder=data.funder,
                age_band=data.age_band,
                referral_source=data.referral_source,
            )
            await participant_facts.when_participant_enrolled(participant_id, enrolment, uow)
        case ParticipantPlaced():
            await participant_facts.when_participant_placed(participant_id, data.work_area, uow)
        case ParticipantWaitlisted():
            await participant_facts.when_participant_waitlisted(participant_id, data.work_area, uow)
        case PlacementEnded():
            await participant_facts.when_placement_ended(participant_id, data.work_area, uow)


def event_handler(unit_of_work: Callable[[], OutcomesUnitOfWork]) -> EventHandler:
    """Each event has one effect, however often Kafka delivers it."""
    return handle_each_event_once(unit_of_work, dispatch, HANDLED_CONTRACTS)
