"""Kafka → use cases: what intake and placement tell about participants, each event handled once.

Besides the contract's data, the envelope's facts decide which stay news belongs to: an
enrolment's event id, and the causation id of placement's decisions (the enrolment they answer);
and whether it is news at all: its `occurred_at`, against the latest news already taken. Placement's
offers and absences (PlacementOffered, OfferDeclined, OfferExpired, AbsenceThresholdReached) change
nothing outcomes keeps, so they are not declared and the consumer skips them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from outcomes.application import erasure_handlers, handlers, historical_stays
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.stay import Enrolment, FundingShare
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    HistoricalStayImported,
    ParticipantDataErased,
    ParticipantEnrolled,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
)
from werkstattnetz_shared.events.vocabulary import PlacementKind
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.idempotent import handle_each_event_once

HANDLED_CONTRACTS = (
    ParticipantEnrolled,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
    ParticipantDataErased,
    HistoricalStayImported,
)

# The programme's day for imported exits (intake checked them against the same zone's today).
HISTORY_TIMEZONE = "Europe/Berlin"


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
                    facts=handlers.PlacementFacts(envelope.occurred_at, data.placed_on),
                    uow=uow,
                )
            case ParticipantWaitlisted():
                await handlers.when_participant_waitlisted(
                    participant_id,
                    data.work_area,
                    cause=envelope.causation_id,
                    facts=handlers.PlacementFacts(envelope.occurred_at),
                    uow=uow,
                )
            case PlacementEnded():
                await handlers.when_placement_ended(
                    participant_id,
                    data.work_area,
                    facts=handlers.PlacementFacts(envelope.occurred_at, data.ended_on),
                    uow=uow,
                )
            case ParticipantDataErased():
                await erasure_handlers.when_participant_data_erased(participant_id, data.erased_on, uow=uow)
            case HistoricalStayImported():
                await historical_stays.when_historical_stay_imported(
                    historical_stays.RecordHistoricalStay(
                        participant_id=participant_id,
                        stay=data,
                        announced_by=envelope.event_id,
                        today=dt.datetime.now(ZoneInfo(HISTORY_TIMEZONE)).date(),
                        now=dt.datetime.now(dt.UTC),
                        correlation_id=envelope.correlation_id,
                    ),
                    uow=uow,
                )

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
