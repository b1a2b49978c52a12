"""Translate exits and follow-ups into the published contracts: `ParticipantExited`,
`IntegrationAchieved`, `FollowUpDue` and `FollowUpRecorded`."""

import datetime as dt
import uuid

from outcomes.domain.follow_up import FollowUp
from outcomes.domain.stay import Exit
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    FollowUpDue,
    FollowUpRecorded,
    IntegrationAchieved,
    ParticipantExited,
)

PRODUCER = "outcomes"


def events_of_exit(
    participant_id: uuid.UUID, exit_: Exit, correlation_id: uuid.UUID, *, imported: bool = False
) -> list[EventEnvelope]:
    """`ParticipantExited` always, first; `IntegrationAchieved` after it when the exit integrated.
    Both carry the exit's recording moment as their `occurred_at`; an exit from an imported history
    says so (`imported`), so that nobody is notified of it."""
    marked = True if imported else None
    details = exit_.details
    exited = ParticipantExited(
        destination=exit_.destination,
        exit_date=exit_.exit_date,
        integrated=exit_.integrated,
        work_area=exit_.work_area,
        funder=exit_.funder,
        jobcenter_integrated=exit_.counts_for_jobcenter,
        reason=details.reason,
        next_step=details.next_step,
        imported=marked,
    )
    envelopes = [_wrap(exited, participant_id, correlation_id, exit_.recorded_at)]
    if exit_.integrated:
        achieved = IntegrationAchieved(
            destination=exit_.destination,
            exit_date=exit_.exit_date,
            work_area=exit_.work_area,
            funder=exit_.funder,
            jobcenter_integrated=exit_.counts_for_jobcenter,
            reason=details.reason,
            next_step=details.next_step,
            imported=marked,
        )
        envelopes.append(_wrap(achieved, participant_id, correlation_id, exit_.recorded_at))
    return envelopes


def follow_up_due(follow_up: FollowUp, correlation_id: uuid.UUID | None = None) -> EventEnvelope:
    data = FollowUpDue(
        follow_up_id=follow_up.follow_up_id,
        exit_date=follow_up.exit_date,
        due_on=follow_up.due_on,
        destination=follow_up.destination,
        integrated=follow_up.integrated,
        jobcenter_integrated=follow_up.jobcenter_integrated,
        work_area=follow_up.work_area,
        funder=follow_up.funder,
    )
    return _wrap(data, follow_up.participant_id, correlation_id)


def follow_up_recorded(follow_up: FollowUp, correlation_id: uuid.UUID) -> EventEnvelope:
    assert follow_up.situation is not None
    assert follow_up.recorded_on is not None
    data = FollowUpRecorded(
        follow_up_id=follow_up.follow_up_id,
        situation=follow_up.situation,
        recorded_on=follow_up.recorded_on,
        exit_date=follow_up.exit_date,
        due_on=follow_up.due_on,
        destination=follow_up.destination,
        integrated=follow_up.integrated,
        jobcenter_integrated=follow_up.jobcenter_integrated,
        next_step=follow_up.next_step,
        work_area=follow_up.work_area,
        funder=follow_up.funder,
        funders=list(follow_up.funders),
    )
    return _wrap(data, follow_up.participant_id, correlation_id)


def _wrap(
    data: EventData,
    participant_id: uuid.UUID,
    correlation_id: uuid.UUID | None,
    occurred_at: dt.datetime | None = None,
) -> EventEnvelope:
    return EventEnvelope.wrap(
        data,
        producer=PRODUCER,
        participant_id=participant_id,
        correlation_id=correlation_id,
        occurred_at=occurred_at,
    )
