"""What every placement use case does around its decision: lock the areas it needs, load them,
and save what it decided — participants, seats and offers, spells, outbox — in its transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from placement.adapters.published_events import published_event
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.area import Area
from placement.domain.decision import Decision
from placement.domain.participant import Participant
from werkstattnetz_shared.events.vocabulary import WorkArea

AreasNeeded = Callable[[Participant | None], set[WorkArea]]


async def lock_areas(areas: Iterable[WorkArea], uow: PlacementUnitOfWork) -> dict[WorkArea, Area]:
    """Lock the areas (in one fixed order), then read them."""
    wanted = set(areas)
    await uow.seats.lock_areas(wanted)
    return {area: await load_area(area, uow) for area in sorted(wanted)}


async def load_area(area: WorkArea, uow: PlacementUnitOfWork) -> Area:
    """The caller holds the area's lock."""
    return Area(area, await uow.seats.seats_of(area), await uow.participants.waitlist_of(area))


async def lock_for(
    participant_id: uuid.UUID, areas_needed: AreasNeeded, uow: PlacementUnitOfWork
) -> tuple[Participant | None, dict[WorkArea, Area]]:
    """Lock the areas a decision on this participant needs, then the participant's row.

    Areas always come before participant rows (one lock order, so no two transactions wait for
    each other in a circle), so which areas are needed is first read without a lock. If the
    participant changed between that read and its lock (say a re-entry was held meanwhile), the
    areas missing are locked late; should that ever close a circle, PostgreSQL breaks it with a
    deadlock error, which the consumer retries like an outage (and the API answers with a 503).
    """
    needed = areas_needed(await uow.participants.get(participant_id))
    await uow.seats.lock_areas(needed)
    known = await uow.participants.get_for_update(participant_id)
    if missing := areas_needed(known) - needed:
        await uow.seats.lock_areas(missing)
        needed |= missing
    return known, {area: await load_area(area, uow) for area in sorted(needed)}


async def record(
    decision: Decision,
    areas: Iterable[Area],
    uow: PlacementUnitOfWork,
    *,
    correlation_id: uuid.UUID | None,
    causation_id: uuid.UUID | None,
) -> None:
    for participant in decision.changed:
        await uow.participants.save(participant)
    for area in areas:
        await uow.seats.save(area)
    await uow.spells.record(decision.events)
    for event in decision.events:
        await uow.outbox.add(published_event(event, correlation_id=correlation_id, causation_id=causation_id))
