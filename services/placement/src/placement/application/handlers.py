"""placement's use cases on what it hears from intake and outcomes, and at start. Each decides
under the area locks; state, seats, offers and outbox commit together.

The two event use cases run inside the caller's unit of work (the transaction
`handle_each_event_once` opened together with the inbox row; keyword-only `uow`) and do not
commit; `set_up_workshops` opens and commits its own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from placement.application.seating import lock_areas, lock_for, record
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.catalogue import when_seats_may_be_free_offer_them
from placement.domain.decisions import (
    Exit,
    when_participant_enrolled_place_or_waitlist,
    when_participant_exited_free_seat_and_offer_next,
    workshops_needed_for_enrolment,
    workshops_needed_for_exit,
)
from placement.domain.default_workshops import default_workshops
from placement.domain.enrolment import Cause, Enrolment
from placement.domain.policy import PlacementPolicy
from werkstattnetz_shared.events.vocabulary import WorkArea


@dataclass(frozen=True)
class PlaceOrWaitlist:
    enrolment: Enrolment
    now: dt.datetime
    correlation_id: uuid.UUID
    causation_id: uuid.UUID
    policy: PlacementPolicy = field(default_factory=PlacementPolicy)


@dataclass(frozen=True)
class FreeSeatOnExit:
    exit: Exit
    today: dt.date
    now: dt.datetime
    correlation_id: uuid.UUID
    causation_id: uuid.UUID
    policy: PlacementPolicy = field(default_factory=PlacementPolicy)


@dataclass(frozen=True)
class SetUpWorkshops:
    default_seats: dict[WorkArea, int]
    now: dt.datetime
    policy: PlacementPolicy = field(default_factory=PlacementPolicy)


async def place_or_waitlist(command: PlaceOrWaitlist, *, uow: PlacementUnitOfWork) -> None:
    enrolment = command.enrolment
    known, areas = await lock_for(
        enrolment.participant_id, lambda known: workshops_needed_for_enrolment(enrolment, known), uow
    )
    cause = Cause(event_id=command.causation_id, correlation_id=command.correlation_id)
    decision = when_participant_enrolled_place_or_waitlist(
        enrolment, known, areas, command.policy, command.now, cause
    )
    await record(
        decision,
        areas.values(),
        uow,
        correlation_id=command.correlation_id,
        causation_id=command.causation_id,
    )


async def free_seat_on_exit(command: FreeSeatOnExit, *, uow: PlacementUnitOfWork) -> None:
    known, areas = await lock_for(command.exit.participant_id, workshops_needed_for_exit, uow)
    decision = when_participant_exited_free_seat_and_offer_next(
        command.exit, known, areas, command.policy, command.today, command.now
    )
    await record(
        decision,
        areas.values(),
        uow,
        correlation_id=command.correlation_id,
        causation_id=command.causation_id,
    )


async def set_up_workshops(command: SetUpWorkshops, unit_of_work: Callable[[], PlacementUnitOfWork]) -> None:
    """On the first start the default workshops; on every start, free seats offered to those
    waiting (after an upgrade, seats may be free while people wait). Two transactions of its own."""
    async with unit_of_work() as uow:
        await uow.workshops.add_defaults_unless_any(default_workshops(command.default_seats))
        await uow.commit()
    async with unit_of_work() as uow:
        areas = await lock_areas(WorkArea, uow)
        decision = when_seats_may_be_free_offer_them(areas.values(), command.policy, command.now)
        await record(decision, areas.values(), uow, correlation_id=None, causation_id=None)
        await uow.commit()
