"""Answering seat offers: staff accept or decline one (inside the route's unit of work, keyword-only
`uow`), and the offer timer expires those whose time ran out (its own transaction per offer).

The timer's exactly-once: the open → expired transition happens under the offer's row lock and
its area's lock, in one transaction with `OfferExpired` and the next offer. Timers of other
replicas skip a row that is locked (SKIP LOCKED) and no longer see it open once that commits.
The timer never waits for an area lock while it holds an offer's row (a decision holding the area
may be about to write that row): if the area is busy it lets go and tries again shortly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from placement.application.casework import Context
from placement.application.seating import load_area, record
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.errors import OfferMustBeKnown, OfferMustBeOpen
from placement.domain.offer_answers import when_offer_accepted, when_offer_declined, when_offer_expired
from placement.domain.offers import Offer
from placement.domain.policy import PlacementPolicy
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason


@dataclass(frozen=True)
class AcceptOffer:
    offer_id: uuid.UUID
    staff_subject: str


@dataclass(frozen=True)
class DeclineOffer:
    offer_id: uuid.UUID
    reason: OfferDeclineReason
    staff_subject: str


@dataclass(frozen=True)
class ExpireDueOffer:
    now: dt.datetime
    policy: PlacementPolicy = field(default_factory=PlacementPolicy)


class TimerOutcome(Enum):
    EXPIRED = "expired"  # one offer expired (and its seat passed on)
    NONE_DUE = "none_due"
    AREA_BUSY = "area_busy"  # a due offer's area is locked by a decision: try again shortly


async def accept_offer(command: AcceptOffer, context: Context, *, uow: PlacementUnitOfWork) -> Offer:
    """Returns the offer as answered; its holder is placed in its workshop from today."""
    offer = await _open_offer_under_its_area_lock(command.offer_id, uow)
    area = await load_area(offer.work_area, uow)
    participant = await uow.participants.get_for_update(offer.participant_id)
    answered = area.open_offer(offer.offer_id)
    decision = when_offer_accepted(
        offer.offer_id, area, participant, context.policy, context.today, context.now, command.staff_subject
    )
    await record(decision, [area], uow, correlation_id=context.correlation_id, causation_id=None)
    return answered


async def decline_offer(command: DeclineOffer, context: Context, *, uow: PlacementUnitOfWork) -> Offer:
    """Returns the offer as answered; its seat is offered to the next suitable person."""
    offer = await _open_offer_under_its_area_lock(command.offer_id, uow)
    area = await load_area(offer.work_area, uow)
    answered = area.open_offer(offer.offer_id)
    decision = when_offer_declined(
        offer.offer_id, command.reason, area, context.policy, context.now, command.staff_subject
    )
    await record(decision, [area], uow, correlation_id=context.correlation_id, causation_id=None)
    return answered


async def expire_next_due_offer(
    command: ExpireDueOffer, unit_of_work: Callable[[], PlacementUnitOfWork]
) -> TimerOutcome:
    """Expire the open offer whose time ran out first, and offer its seat on; its own transaction."""
    async with unit_of_work() as uow:
        due = await uow.offers.next_due_for_update(command.now)
        if due is None:
            return TimerOutcome.NONE_DUE
        if not await uow.seats.try_lock_area(due.work_area):
            return TimerOutcome.AREA_BUSY
        area = await load_area(due.work_area, uow)
        decision = when_offer_expired(due.offer_id, area, command.policy, command.now)
        await record(decision, [area], uow, correlation_id=None, causation_id=None)
        await uow.commit()
        return TimerOutcome.EXPIRED


async def next_deadline(unit_of_work: Callable[[], PlacementUnitOfWork]) -> dt.datetime | None:
    async with unit_of_work() as uow:
        return await uow.offers.next_deadline()


async def _open_offer_under_its_area_lock(offer_id: uuid.UUID, uow: PlacementUnitOfWork) -> Offer:
    seen = await uow.offers.get(offer_id)
    if seen is None:
        raise OfferMustBeKnown(f"placement knows no offer {offer_id}")
    await uow.seats.lock_areas([seen.work_area])
    offer = await uow.offers.get(offer_id)  # as it is now that nothing else can answer it
    assert offer is not None
    if not offer.is_open:
        raise OfferMustBeOpen(f"offer {offer_id} is {offer.status.value} already")
    return offer
