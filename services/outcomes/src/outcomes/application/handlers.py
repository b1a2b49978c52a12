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
from dataclasses import dataclass, field

from outcomes.adapters.published_events import events_of_exit
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.errors import ParticipantMustBeKnown
from outcomes.domain.follow_up import FollowUp, FollowUpSchedule
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.report import IntegrationReport, ReportPeriod, compute_integration_report
from outcomes.domain.stay import Enrolment, Exit, ExitDetails
from werkstattnetz_shared.events.vocabulary import Destination, Funder, WorkArea


@dataclass(frozen=True)
class RecordExit:
    participant_id: uuid.UUID
    destination: Destination
    exit_date: dt.date
    today: dt.date
    staff_subject: str
    correlation_id: uuid.UUID
    details: ExitDetails = field(default_factory=ExitDetails)
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    schedule: FollowUpSchedule = field(default_factory=FollowUpSchedule)


@dataclass(frozen=True)
class PlacementFacts:
    """The envelope's and the contract's facts that order placement news (see `PlacementNews`)."""

    occurred_at: dt.datetime | None = None
    on: dt.date | None = None


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
    facts: PlacementFacts = PlacementFacts(),
    uow: OutcomesUnitOfWork,
) -> None:
    await _change(
        participant_id,
        uow,
        lambda record: record.record_placement(
            work_area, from_waitlist=from_waitlist, cause=cause, at=facts.occurred_at, on=facts.on
        ),
    )


async def when_participant_waitlisted(
    participant_id: uuid.UUID,
    work_area: WorkArea,
    *,
    cause: uuid.UUID | None,
    facts: PlacementFacts = PlacementFacts(),
    uow: OutcomesUnitOfWork,
) -> None:
    await _change(
        participant_id,
        uow,
        lambda record: record.record_waitlisting(work_area, cause=cause, at=facts.occurred_at),
    )


async def when_placement_ended(
    participant_id: uuid.UUID,
    work_area: WorkArea,
    *,
    facts: PlacementFacts = PlacementFacts(),
    uow: OutcomesUnitOfWork,
) -> None:
    await _change(
        participant_id,
        uow,
        lambda record: record.record_placement_end(work_area, at=facts.occurred_at, on=facts.on),
    )


async def record_exit(command: RecordExit, *, uow: OutcomesUnitOfWork) -> tuple[Exit, FollowUp]:
    """The exit row, its follow-up's schedule and its events commit together with the answer the
    HTTP entry point keeps for an `Idempotency-Key`."""
    record = await uow.participants.get_for_update(command.participant_id)
    if record is None:
        raise _unknown(command.participant_id)
    exit_ = record.exit_to(
        command.destination, command.exit_date, command.today, command.details, command.now
    )
    await uow.participants.save(record)
    await uow.participants.add_exit(record.participant_id, exit_, recorded_by=command.staff_subject)
    follow_up = FollowUp.of_exit(record.participant_id, exit_, command.schedule, command.now)
    await uow.follow_ups.add(follow_up)
    for envelope in events_of_exit(record.participant_id, exit_, command.correlation_id):
        await uow.outbox.add(envelope)
    return exit_, follow_up


async def view_outcome(
    participant_id: uuid.UUID, uow: OutcomesUnitOfWork
) -> tuple[ParticipantRecord, list[FollowUp]]:
    """The record and the follow-ups of its stays' exits."""
    async with uow:
        record = await uow.participants.get(participant_id)
        follow_ups = await uow.follow_ups.of_participant(participant_id)
    if record is None or not record.is_known:
        raise _unknown(participant_id)
    return record, follow_ups


async def integration_report(
    period: ReportPeriod,
    funder: Funder | None,
    uow: OutcomesUnitOfWork,
    *,
    now: dt.datetime,
    grace: dt.timedelta,
) -> IntegrationReport:
    async with uow:
        exits = await uow.exit_records.exits_in(period)
        follow_ups = await uow.follow_ups.of_exits_in(period)
    return compute_integration_report(exits, period, funder, follow_ups, now, grace)


async def _change(
    participant_id: uuid.UUID, uow: OutcomesUnitOfWork, change: Callable[[ParticipantRecord], None]
) -> None:
    record = await uow.participants.get_or_start_for_update(participant_id)
    change(record)
    await uow.participants.save(record)


def _unknown(participant_id: uuid.UUID) -> ParticipantMustBeKnown:
    return ParticipantMustBeKnown(f"outcomes knows of no enrolment of participant {participant_id}")
