"""What placement does with a stay imported from a programme's history (`HistoricalStayImported`).

Runs inside the consumer's unit of work (keyword-only `uow`) and does not commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from placement.application import handlers
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.historical_stay import (
    EndedHistoricalStay,
    forget_exit_heard_early,
    open_stay_as_enrolment,
)
from placement.domain.policy import PlacementPolicy
from werkstattnetz_shared.events import HistoricalStayImported


@dataclass(frozen=True)
class RecordHistoricalStay:
    participant_id: uuid.UUID
    stay: HistoricalStayImported
    now: dt.datetime
    correlation_id: uuid.UUID
    causation_id: uuid.UUID
    policy: PlacementPolicy = field(default_factory=PlacementPolicy)


async def when_historical_stay_imported(command: RecordHistoricalStay, *, uow: PlacementUnitOfWork) -> None:
    stay = command.stay
    if stay.exit_date is None:
        enrolment = open_stay_as_enrolment(
            command.participant_id,
            stay.enrolment_id,
            stay.work_area,
            stay.funder,
            stay.enrolled_on,
            stay.re_entry,
        )
        await handlers.place_or_waitlist(
            handlers.PlaceOrWaitlist(
                enrolment=enrolment,
                now=command.now,
                correlation_id=command.correlation_id,
                causation_id=command.causation_id,
                policy=command.policy,
            ),
            uow=uow,
        )
        return
    await uow.historical_stays.add(
        EndedHistoricalStay(
            participant_id=command.participant_id,
            enrolment_id=stay.enrolment_id,
            work_area=stay.work_area,
            enrolled_on=stay.enrolled_on,
            placed_on=stay.placed_on,
            exit_date=stay.exit_date,
        )
    )
    known = await uow.participants.get_for_update(command.participant_id)
    if known is not None and forget_exit_heard_early(known, stay.exit_date):
        await uow.participants.save(known)


async def is_historical_exit(
    participant_id: uuid.UUID, exit_date: dt.date, *, uow: PlacementUnitOfWork
) -> bool:
    """The exit of an imported, ended stay: it freed no seat and starts nothing."""
    return await uow.historical_stays.ended_on(participant_id, exit_date)
