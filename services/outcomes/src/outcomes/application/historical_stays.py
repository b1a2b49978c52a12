"""What outcomes does with a stay imported from a programme's history (`HistoricalStayImported`).

Runs inside the consumer's unit of work (keyword-only `uow`) with its inbox row and does not
commit. The rules are in `domain.historical_stay`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from outcomes.adapters.published_events import events_of_exit
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.follow_up import FollowUp, FollowUpSchedule
from outcomes.domain.historical_stay import follow_up_still_ahead, has_stay, noon_of
from outcomes.domain.stay import Enrolment, ExitDetails
from werkstattnetz_shared.events import HistoricalStayImported

IMPORTED_BY = "history-import"


@dataclass(frozen=True)
class RecordHistoricalStay:
    participant_id: uuid.UUID
    stay: HistoricalStayImported
    announced_by: uuid.UUID
    """The event's id: placement's decision on an open imported stay names it as its cause."""
    today: dt.date
    now: dt.datetime
    correlation_id: uuid.UUID
    schedule: FollowUpSchedule = field(default_factory=FollowUpSchedule)


async def when_historical_stay_imported(command: RecordHistoricalStay, *, uow: OutcomesUnitOfWork) -> None:
    stay = command.stay
    enrolment = Enrolment(
        enrolled_on=stay.enrolled_on,
        funder=stay.funder,
        age_band=stay.age_band,
        referral_source=stay.referral_source,
        enrolment_id=stay.enrolment_id,
        re_entry=stay.re_entry,
    )
    record = await uow.participants.get_or_start_for_update(command.participant_id)
    if has_stay(record, enrolment):
        return
    record.record_enrolment(enrolment, command.announced_by)
    if stay.exit_date is None or stay.destination is None:
        # Still running: placement places or waitlists the person and tells, as for a live enrolment.
        await uow.participants.save(record)
        return
    if stay.placed_on is not None:
        record.record_placement(
            stay.work_area, cause=command.announced_by, at=noon_of(stay.placed_on), on=stay.placed_on
        )
    exit_ = record.exit_to(
        stay.destination, stay.exit_date, command.today, ExitDetails(reason=stay.exit_reason), command.now
    )
    await uow.participants.save(record)
    await uow.participants.add_exit(record.participant_id, exit_, recorded_by=IMPORTED_BY)
    follow_up = FollowUp.of_exit(record.participant_id, exit_, command.schedule, command.now)
    if follow_up_still_ahead(follow_up, command.today):
        await uow.follow_ups.add(follow_up)
    for envelope in events_of_exit(record.participant_id, exit_, command.correlation_id, imported=True):
        await uow.outbox.add(envelope)
