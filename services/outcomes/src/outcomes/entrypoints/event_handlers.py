"""Kafka → use cases: what intake and placement tell about participants, each event handled once.

Besides the contract's data, the envelope's facts decide which stay news belongs to: an
enrolment's event id, and the causation id of placement's decisions (the enrolment they answer).
"""

from __future__ import annotations

from collections.abc import Callable

from outcomes.application import handlers
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.stay import Enrolment, FundingShare
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    ParticipantEnrolled,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
)
from werkstattnetz_shared.events.vocabulary import PlacementKind
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.idempotent import handle_each_event_once

HANDLED_CONTRACTS = (ParticipantEnrolled, ParticipantPlaced, ParticipantWaitlisted, PlacementEnded)


def outcomes_event_handler(unit_of_work: Callable[[], OutcomesUnitOfWork]) -> EventHandler:
    """Each event has one effect, however often Kafka delivers it."""

    async def dispatch(envelope: EventEnvelope, data: EventData, uow: OutcomesUnitOfWork) -> None:
        participant_id = envelope.participant_id
        match data:
            case ParticipantEnrolled():
                await handlers.when_participant_enrolled(
                    participant_id, _enrolment_of(data), envelope.event_id, uow=uow
                )
            case ParticipantPlaced():
                await handlers.when_participant_placed(
                    participant_id,
                    data.work_area,
                    from_waitlist=_continues_the_stay(data),
                    cause=envelope.causation_id,
                    uow=uow,
                )
            case ParticipantWaitlisted():
                await handlers.when_participant_waitlisted(
                    participant_id, data.work_area, cause=envelope.causation_id, uow=uow
                )
            case PlacementEnded():
                await handlers.when_placement_ended(participant_id, data.work_area, uow=uow)

    return handle_each_event_once(unit_of_work, dispatch, HANDLED_CONTRACTS)


def _continues_the_stay(placed: ParticipantPlaced) -> bool:
    """Only a placement on enrolment is a decision on an enrolment (naming it as its cause); one from
    the waitlist, by a caseworker or by a transfer follows up the stay's earlier placement news."""
    return placed.from_waitlist or placed.kind not in (None, PlacementKind.ON_ENROLMENT)


def _enrolment_of(data: ParticipantEnrolled) -> Enrolment:
    return Enrolment(
        enrolled_on=data.enrolled_on,
        funder=data.funder,
        age_band=data.age_band,
        referral_source=data.referral_source,
        enrolment_id=data.enrolment_id,
        re_entry=data.re_entry,
        funding=tuple(
            FundingShare(share.funder, share.legal_basis, share.share_percent) for share in data.funding or ()
        ),
    )
