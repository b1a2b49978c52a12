"""Kafka → use cases: `ParticipantEnrolled` and `ParticipantExited`, each handled exactly once.

Events placement publishes because of an incoming one carry its correlation id, and its event id
as their causation id (a held re-entry's decision answers its enrolment, see `decisions`). The
enrolment's moment for the waitlist's fair order is the envelope's `occurred_at`: when intake
enrolled the person, not when this consumer got to the event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from placement.application import handlers, historical_stays
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.decisions import Exit
from placement.domain.enrolment import Enrolment
from placement.domain.policy import PlacementPolicy
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    HistoricalStayImported,
    ParticipantEnrolled,
    ParticipantExited,
)
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.idempotent import handle_each_event_once

HANDLED_CONTRACTS = (ParticipantEnrolled, ParticipantExited, HistoricalStayImported)


def placement_event_handler(
    unit_of_work: Callable[[], PlacementUnitOfWork], timezone: str, policy: PlacementPolicy
) -> EventHandler:
    zone = ZoneInfo(timezone)

    async def dispatch(envelope: EventEnvelope, data: EventData, uow: PlacementUnitOfWork) -> None:
        if isinstance(data, ParticipantEnrolled):
            await handlers.place_or_waitlist(
                handlers.PlaceOrWaitlist(
                    enrolment=enrolment_of(envelope, data),
                    now=dt.datetime.now(dt.UTC),
                    correlation_id=envelope.correlation_id,
                    causation_id=envelope.event_id,
                    policy=policy,
                ),
                uow=uow,
            )
        elif isinstance(data, ParticipantExited):
            if await historical_stays.is_historical_exit(envelope.participant_id, data.exit_date, uow=uow):
                return  # the exit of an imported stay that ended long ago: it took no seat
            await handlers.free_seat_on_exit(
                handlers.FreeSeatOnExit(
                    exit=Exit(participant_id=envelope.participant_id, exit_date=data.exit_date),
                    today=dt.datetime.now(zone).date(),
                    now=dt.datetime.now(dt.UTC),
                    correlation_id=envelope.correlation_id,
                    causation_id=envelope.event_id,
                    policy=policy,
                ),
                uow=uow,
            )
        elif isinstance(data, HistoricalStayImported):
            await historical_stays.when_historical_stay_imported(
                historical_stays.RecordHistoricalStay(
                    participant_id=envelope.participant_id,
                    stay=data,
                    now=dt.datetime.now(dt.UTC),
                    correlation_id=envelope.correlation_id,
                    causation_id=envelope.event_id,
                    policy=policy,
                ),
                uow=uow,
            )

    return handle_each_event_once(unit_of_work, dispatch, HANDLED_CONTRACTS)


def enrolment_of(envelope: EventEnvelope, data: ParticipantEnrolled) -> Enrolment:
    shares = sorted(data.funding or (), key=lambda share: -share.share_percent)
    funders = tuple(dict.fromkeys([data.funder, *(share.funder for share in shares)]))
    return Enrolment(
        participant_id=envelope.participant_id,
        preferred_work_areas=tuple(data.preferred_work_areas),
        funder=data.funder,
        enrolled_on=data.enrolled_on,
        enrolment_id=data.enrolment_id,
        re_entry=data.re_entry,
        enrolled_at=envelope.occurred_at,
        funders=funders,
    )
