"""Six-month follow-ups: the timer announces those that fell due (its own transaction per
follow-up), caseworkers record the situation (inside the route's unit of work, keyword-only
`uow`), and staff list them.

Exactly one `FollowUpDue` per follow-up: it goes into the outbox in the transaction that sets
`due_published_at`, under the follow-up's row lock. The timers of other replicas skip a locked row
(SKIP LOCKED) and no longer see it unannounced once that commits; a kill -9 before the commit
rolls both back, so the next timer announces it. A caseworker who records a follow-up the timer
has not announced yet (it fell due a moment ago) announces it in the same transaction, so
`FollowUpDue` always comes first, and once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from outcomes.adapters.published_events import follow_up_due, follow_up_recorded
from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.errors import FollowUpMustBeKnown
from outcomes.domain.follow_up import FollowUp, FollowUpStatus
from werkstattnetz_shared.events.vocabulary import FollowUpSituation


@dataclass(frozen=True)
class RecordFollowUp:
    follow_up_id: uuid.UUID
    situation: FollowUpSituation
    recorded_on: dt.date | None
    """None: today."""
    today: dt.date
    now: dt.datetime
    staff_subject: str
    correlation_id: uuid.UUID


@dataclass(frozen=True)
class FollowUpQuery:
    status: FollowUpStatus | None
    participant_id: uuid.UUID | None
    now: dt.datetime
    grace: dt.timedelta
    limit: int
    offset: int


async def announce_next_due_follow_up(
    now: dt.datetime, unit_of_work: Callable[[], OutcomesUnitOfWork]
) -> FollowUp | None:
    """Publish `FollowUpDue` for the earliest follow-up that fell due; None when none is left."""
    async with unit_of_work() as uow:
        due = await uow.follow_ups.next_to_announce_for_update(now)
        if due is None:
            return None
        await _announce(due, now, uow, correlation_id=None)
        await uow.commit()
        return due.fell_due()


async def next_deadline(unit_of_work: Callable[[], OutcomesUnitOfWork]) -> dt.datetime | None:
    async with unit_of_work() as uow:
        return await uow.follow_ups.next_deadline()


async def record_follow_up(command: RecordFollowUp, *, uow: OutcomesUnitOfWork) -> FollowUp:
    follow_up = await uow.follow_ups.get_for_update(command.follow_up_id)
    if follow_up is None:
        raise FollowUpMustBeKnown(f"outcomes knows no follow-up {command.follow_up_id}")
    recorded = follow_up.record(
        command.situation, command.recorded_on or command.today, command.today, command.now
    )
    if not follow_up.due_published:
        await _announce(follow_up, command.now, uow, correlation_id=command.correlation_id)
    await uow.follow_ups.save_record(recorded, recorded_by=command.staff_subject)
    await uow.outbox.add(follow_up_recorded(recorded, command.correlation_id))
    return recorded.fell_due()


async def view_follow_up(follow_up_id: uuid.UUID, uow: OutcomesUnitOfWork) -> FollowUp:
    async with uow:
        follow_up = await uow.follow_ups.get(follow_up_id)
    if follow_up is None:
        raise FollowUpMustBeKnown(f"outcomes knows no follow-up {follow_up_id}")
    return follow_up


async def list_follow_ups(query: FollowUpQuery, uow: OutcomesUnitOfWork) -> tuple[list[FollowUp], int]:
    async with uow:
        return await uow.follow_ups.page(
            status=query.status,
            participant_id=query.participant_id,
            now=query.now,
            grace=query.grace,
            limit=query.limit,
            offset=query.offset,
        )


async def _announce(
    follow_up: FollowUp, now: dt.datetime, uow: OutcomesUnitOfWork, *, correlation_id: uuid.UUID | None
) -> None:
    await uow.follow_ups.mark_announced(follow_up.follow_up_id, now)
    await uow.outbox.add(follow_up_due(follow_up, correlation_id))
