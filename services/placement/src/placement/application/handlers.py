"""placement's use cases. Each decides under the workshop locks; state and outbox commit together.

The two event use cases run inside the caller's unit of work (the transaction
`handle_each_event_once` opened together with the inbox row; keyword-only `uow`) and do not
commit; `apply_workshop_capacities` opens and commits its own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from placement.adapters.published_events import published_event
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.decisions import (
    Decision,
    Exit,
    when_capacity_changed_fill_free_seats,
    when_participant_enrolled_place_or_waitlist,
    when_participant_exited_free_seat_and_offer_next,
    workshops_needed_for_enrolment,
    workshops_needed_for_exit,
)
from placement.domain.enrolment import Cause, Enrolment
from placement.domain.participant import Participant
from placement.domain.workshop import Waitlist, Workshop
from werkstattnetz_shared.events.vocabulary import WorkArea


@dataclass(frozen=True)
class PlaceOrWaitlist:
    enrolment: Enrolment
    now: dt.datetime
    correlation_id: uuid.UUID
    causation_id: uuid.UUID


@dataclass(frozen=True)
class FreeSeatOnExit:
    exit: Exit
    today: dt.date
    now: dt.datetime
    correlation_id: uuid.UUID
    causation_id: uuid.UUID


@dataclass(frozen=True)
class ApplyWorkshopCapacities:
    capacities: Mapping[WorkArea, int]
    today: dt.date


async def place_or_waitlist(command: PlaceOrWaitlist, *, uow: PlacementUnitOfWork) -> None:
    enrolment = command.enrolment
    known, workshops, waitlists = await _lock_for(
        enrolment.participant_id, lambda known: workshops_needed_for_enrolment(enrolment, known), uow
    )
    cause = Cause(event_id=command.causation_id, correlation_id=command.correlation_id)
    decision = when_participant_enrolled_place_or_waitlist(
        enrolment, known, workshops, waitlists, command.now, cause
    )
    await _record(decision, uow, correlation_id=command.correlation_id, causation_id=command.causation_id)


async def free_seat_on_exit(command: FreeSeatOnExit, *, uow: PlacementUnitOfWork) -> None:
    known, workshops, waitlists = await _lock_for(command.exit.participant_id, workshops_needed_for_exit, uow)
    decision = when_participant_exited_free_seat_and_offer_next(
        command.exit, known, workshops, waitlists, command.today, command.now
    )
    await _record(decision, uow, correlation_id=command.correlation_id, causation_id=command.causation_id)


async def apply_workshop_capacities(command: ApplyWorkshopCapacities, uow: PlacementUnitOfWork) -> None:
    """Write the configured capacities; seats a larger capacity freed go to those waiting."""
    async with uow:
        await uow.workshops.sync_capacities(command.capacities)
        for area, workshop in (await uow.workshops.lock(command.capacities)).items():
            waitlist = await uow.participants.waitlist_of(area)
            decision = when_capacity_changed_fill_free_seats(workshop, waitlist, command.today)
            await _record(decision, uow, correlation_id=None, causation_id=None)
        await uow.commit()


async def _lock_for(
    participant_id: uuid.UUID,
    workshops_needed: Callable[[Participant | None], set[WorkArea]],
    uow: PlacementUnitOfWork,
) -> tuple[Participant | None, dict[WorkArea, Workshop], dict[WorkArea, Waitlist]]:
    """Lock the workshops a decision on this participant needs, then the participant's row.

    Workshops always come before participant rows (one lock order, so no two transactions wait
    for each other in a circle), so which workshops are needed is first read without a lock. If
    the participant changed between that read and its lock (say a re-entry was held meanwhile),
    the workshops missing are locked late; should that ever close a circle, PostgreSQL breaks it
    with a deadlock error, which the consumer retries like an outage.
    """
    needed = workshops_needed(await uow.participants.get(participant_id))
    workshops = await uow.workshops.lock(needed)
    known = await uow.participants.get_for_update(participant_id)
    if missing := workshops_needed(known) - workshops.keys():
        workshops |= await uow.workshops.lock(missing)
    waitlists = {area: await uow.participants.waitlist_of(area) for area in sorted(workshops)}
    return known, workshops, waitlists


async def _record(
    decision: Decision,
    uow: PlacementUnitOfWork,
    *,
    correlation_id: uuid.UUID | None,
    causation_id: uuid.UUID | None,
) -> None:
    for participant in decision.changed:
        await uow.participants.save(participant)
    for event in decision.events:
        await uow.outbox.add(published_event(event, correlation_id=correlation_id, causation_id=causation_id))
