"""outcomes' use cases: keep each participant's stays current from other services' events, record
an exit, look at a participant, compute the report.

The use cases with a keyword-only `uow` run inside the caller's open unit of work and do not
commit (the consumer's transaction with its inbox row, or the HTTP request's with its
idempotency answer); the others open their own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from outcomes.adapters.published_events import events_of_exit
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.errors import ParticipantMustBeKnown
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.report import IntegrationReport, ReportPeriod, compute_integration_report
from outcomes.domain.stay import Enrolment, Exit
from werkstattnetz_shared.events.vocabulary import Destination, Funder, WorkArea


@dataclass(frozen=True)
class RecordExit:
    participant_id: uuid.UUID
    destination: Destination
    exit_date: dt.date
    today: dt.date
    staff_subject: str
    correlation_id: uuid.UUID


async def when_participant_enrolled(
    participant_id: uuid.UUID, enrolment: Enrolment, announced_by: uuid.UUID, *, uow: OutcomesUnitOfWork
) -> None:
    """`announced_by`: the enrolment event's id, which placement's decisions on it name."""
    await _change(participant_id, uow, lambda record: record.record_enrolment(enrolment, announced_by))


async def when_participant_placed(
    participant_id: uuid.UUID,
    work_area: WorkArea,
    *,
    from_waitlist: bool,
    cause: uuid.UUID | None,
    uow: OutcomesUnitOfWork,
) -> None:
    await _change(
        participant_id,
        uow,
        lambda record: record.record_placement(work_area, from_waitlist=from_waitlist, cause=cause),
    )


async def when_participant_waitlisted(
    participant_id: uuid.UUID, work_area: WorkArea, *, cause: uuid.UUID | None, uow: OutcomesUnitOfWork
) -> None:
    await _change(participant_id, uow, lambda record: record.record_waitlisting(work_area, cause=cause))


async def when_placement_ended(
    participant_id: uuid.UUID, work_area: WorkArea, *, uow: OutcomesUnitOfWork
) -> None:
    await _change(participant_id, uow, lambda record: record.record_placement_end(work_area))


async def record_exit(command: RecordExit, *, uow: OutcomesUnitOfWork) -> Exit:
    """The exit row and its events commit together with the answer the HTTP entry point keeps
    for an `Idempotency-Key`."""
    record = await uow.participants.get_for_update(command.participant_id)
    if record is None:
        raise _unknown(command.participant_id)
    exit_ = record.exit_to(command.destination, command.exit_date, command.today)
    await uow.participants.save(record)
    await uow.participants.add_exit(record.participant_id, exit_, recorded_by=command.staff_subject)
    for envelope in events_of_exit(record.participant_id, exit_, command.correlation_id):
        await uow.outbox.add(envelope)
    return exit_


async def view_outcome(participant_id: uuid.UUID, uow: OutcomesUnitOfWork) -> ParticipantRecord:
    async with uow:
        record = await uow.participants.get(participant_id)
    if record is None or not record.is_known:
        raise _unknown(participant_id)
    return record


async def integration_report(
    period: ReportPeriod, funder: Funder | None, uow: OutcomesUnitOfWork
) -> IntegrationReport:
    async with uow:
        exits = await uow.exit_records.exits_in(period)
    return compute_integration_report(exits, period, funder)


async def _change(
    participant_id: uuid.UUID, uow: OutcomesUnitOfWork, change: Callable[[ParticipantRecord], None]
) -> None:
    record = await uow.participants.get_or_start_for_update(participant_id)
    change(record)
    await uow.participants.save(record)


def _unknown(participant_id: uuid.UUID) -> ParticipantMustBeKnown:
    return ParticipantMustBeKnown(f"outcomes knows of no enrolment of participant {participant_id}")
