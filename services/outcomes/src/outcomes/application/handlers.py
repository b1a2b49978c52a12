"""outcomes' use cases for staff: record an exit, look at a participant, compute the report."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from outcomes.adapters.published_events import events_of_exit
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.errors import ParticipantMustBeKnown
from outcomes.domain.participant import Exit, ParticipantRecord
from outcomes.domain.report import IntegrationReport, ReportPeriod, compute_integration_report
from werkstattnetz_shared.events.vocabulary import Destination, Funder


@dataclass(frozen=True)
class RecordExit:
    participant_id: uuid.UUID
    destination: Destination
    exit_date: dt.date
    today: dt.date
    staff_subject: str
    correlation_id: uuid.UUID


async def record_exit(command: RecordExit, *, uow: OutcomesUnitOfWork) -> Exit:
    """Runs inside the caller's open unit of work and does not commit: the exit row and its events
    commit together with the answer the HTTP entry point keeps for an `Idempotency-Key`."""
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
        exits = await uow.exit_records.exits_in(period, funder)
    return compute_integration_report(exits, period, funder)


def _unknown(participant_id: uuid.UUID) -> ParticipantMustBeKnown:
    return ParticipantMustBeKnown(f"outcomes knows of no enrolment of participant {participant_id}")
