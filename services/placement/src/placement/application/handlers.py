"""placement's use cases. Each decides under the workshop locks; state and outbox commit together.

The two event use cases run inside the transaction `handle_each_event_once` opened (together with
the inbox row) and must not commit themselves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from placement.adapters.published_events import published_event
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.decisions import (
    Decision,
    Exit,
    when_capacity_changed_fill_free_seats,
    when_participant_enrolled_place_or_waitlist,
    when_participant_exited_free_seat_and_offer_next,
)
from placement.domain.participant import Enrolment, PlacementStatus
from werkstattnetz_shared.events.vocabulary import WorkArea

# Statuses in which a participant holds a seat or a waitlist spot that an exit gives up.
_HOLDING_A_SPOT = (PlacementStatus.PLACED, PlacementStatus.WAITLISTED)


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
    correlation_id: uuid.UUID
    causation_id: uuid.UUID


@dataclass(frozen=True)
class ApplyWorkshopCapacities:
    capacities: Mapping[WorkArea, int]
    today: dt.date


async def place_or_waitlist(command: PlaceOrWaitlist, uow: PlacementUnitOfWork) -> None:
    """Locks every preferred workshop first (always before any participant row: one lock order)."""
    enrolment = command.enrolment
    workshops = await uow.workshops.lock(enrolment.preferred_work_areas)
    known = await uow.participants.get_for_update(enrolment.participant_id)
    first_choice_waitlist = await uow.participants.waitlist_of(enrolment.preferred_work_areas[0])
    decision = when_participant_enrolled_place_or_waitlist(
        enrolment, known, workshops, first_choice_waitlist, command.now
    )
    await _record(decision, uow, correlation_id=command.correlation_id, causation_id=command.causation_id)


async def free_seat_on_exit(command: FreeSeatOnExit, uow: PlacementUnitOfWork) -> None:
    participant_id = command.exit.participant_id
    # Peek without a lock to learn the work area, lock its workshop, then read again: the
    # workshop lock comes before the participant's row, as everywhere else. A participant's area
    # never changes; should an enrolment slip in between peek and lock, the decision refuses to
    # go on without the workshop and the consumer handles the exit again.
    peeked = await uow.participants.get(participant_id)
    area = peeked.work_area if peeked and peeked.status in _HOLDING_A_SPOT else None
    workshop = waitlist = None
    if area is not None:
        workshop = (await uow.workshops.lock([area]))[area]
        waitlist = await uow.participants.waitlist_of(area)
    known = await uow.participants.get_for_update(participant_id)
    decision = when_participant_exited_free_seat_and_offer_next(
        command.exit, known, workshop, waitlist, command.today
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
