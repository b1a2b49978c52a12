"""Admins' use cases on the workshop catalogue: open a workshop, change one. Each runs inside the
caller's unit of work (keyword-only `uow`) and does not commit; new seats are offered to those
waiting in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from placement.application.casework import Context
from placement.application.seating import load_area, lock_areas, record
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.catalogue import when_seats_may_be_free_offer_them, when_workshop_changed
from placement.domain.errors import WorkshopMustBeKnown
from placement.domain.workshop import Workshop, WorkshopChange


@dataclass(frozen=True)
class ChangeWorkshop:
    workshop_id: uuid.UUID
    change: WorkshopChange


async def open_workshop(workshop: Workshop, context: Context, *, uow: PlacementUnitOfWork) -> Workshop:
    await uow.seats.lock_areas([workshop.work_area])
    await uow.workshops.add(workshop)
    area = await load_area(workshop.work_area, uow)
    decision = when_seats_may_be_free_offer_them([area], context.policy, context.now)
    await record(decision, [area], uow, correlation_id=context.correlation_id, causation_id=None)
    return workshop


async def change_workshop(command: ChangeWorkshop, context: Context, *, uow: PlacementUnitOfWork) -> Workshop:
    known = await uow.workshops.get(command.workshop_id)
    if known is None:
        raise WorkshopMustBeKnown(f"placement knows no workshop {command.workshop_id}")
    areas = await lock_areas([known.work_area], uow)
    area = areas[known.work_area]
    decision = when_workshop_changed(command.workshop_id, command.change, area, context.policy, context.now)
    workshop = area.seats_of(command.workshop_id).workshop
    await uow.workshops.save(workshop)
    await record(decision, areas.values(), uow, correlation_id=context.correlation_id, causation_id=None)
    return workshop
