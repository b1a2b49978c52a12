"""Translate placement's decisions into the published contracts on `placement.events`."""

import uuid

from placement.domain.events import (
    OfferDeclined,
    Offered,
    OfferExpired,
    Placed,
    PlacementEnded,
    PlacementEvent,
    Waitlisted,
)
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementOffered,
)
from werkstattnetz_shared.events import OfferDeclined as OfferDeclinedContract
from werkstattnetz_shared.events import OfferExpired as OfferExpiredContract
from werkstattnetz_shared.events import PlacementEnded as PlacementEndedContract

PRODUCER = "placement"


def published_event(
    event: PlacementEvent, *, correlation_id: uuid.UUID | None, causation_id: uuid.UUID | None
) -> EventEnvelope:
    """`correlation_id` None starts a new flow (e.g. seats offered after a workshop was opened).

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
                work_area=event.work_area,
                placed_on=event.placed_on,
                from_waitlist=event.from_waitlist,
                workshop_id=event.workshop_id,
                kind=event.kind,
                offer_id=event.offer_id,
                workshop_lead=event.workshop_lead,
            )
        case Waitlisted():
            return ParticipantWaitlisted(work_area=event.work_area, position=event.position)
        case PlacementEnded():
            return PlacementEndedContract(
                work_area=event.work_area,
                ended_on=event.ended_on,
                reason=event.reason,
                workshop_id=event.workshop_id,
            )
        case Offered():
            return PlacementOffered(
                offer_id=event.offer_id,
                workshop_id=event.workshop_id,
                work_area=event.work_area,
                offered_at=event.offered_at,
                expires_at=event.expires_at,
            )
        case OfferDeclined():
            return OfferDeclinedContract(
                offer_id=event.offer_id,
                workshop_id=event.workshop_id,
                work_area=event.work_area,
                reason=event.reason,
                declined_at=event.declined_at,
            )
        case OfferExpired():
            return OfferExpiredContract(
                offer_id=event.offer_id,
                workshop_id=event.workshop_id,
                work_area=event.work_area,
                expired_at=event.expired_at,
            )
