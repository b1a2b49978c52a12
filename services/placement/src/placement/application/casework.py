"""Caseworkers' use cases: place by hand, transfer, end a placement, flag an urgent case.

Each runs inside the caller's unit of work (keyword-only `uow`: the route's transaction, which
also keeps the answer for an Idempotency-Key) and does not commit. Each returns the participant as
decided, for the answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from placement.application.seating import lock_for, record
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.area import Area
from placement.domain.casework import (
    areas_needed_for_casework,
    when_caseworker_ends_placement,
    when_caseworker_places,
    when_caseworker_transfers,
    when_urgency_changes,
)
from placement.domain.errors import ParticipantMustBeKnown, WorkshopMustBeKnown
from placement.domain.participant import Participant
from placement.domain.policy import PlacementPolicy
from placement.domain.urgency import UrgencyReason
from werkstattnetz_shared.events.vocabulary import PlacementEndReason, WorkArea


@dataclass(frozen=True)
class Context:
    """Who acts, on which day, in which flow (the request's correlation id)."""

    today: dt.date
    now: dt.datetime
    correlation_id: uuid.UUID
    policy: PlacementPolicy = field(default_factory=PlacementPolicy)


@dataclass(frozen=True)
class PlaceByHand:
    participant_id: uuid.UUID
    workshop_id: uuid.UUID


@dataclass(frozen=True)
class Transfer:
    participant_id: uuid.UUID
    workshop_id: uuid.UUID


@dataclass(frozen=True)
class EndPlacement:
    participant_id: uuid.UUID
    reason: PlacementEndReason
    ended_on: dt.date | None = None
    """Default: today."""


@dataclass(frozen=True)
class SetUrgency:
    participant_id: uuid.UUID
    urgent: bool
    reason: UrgencyReason | None


async def place_by_hand(command: PlaceByHand, context: Context, *, uow: PlacementUnitOfWork) -> Participant:
    target = await _area_of_workshop(command.workshop_id, uow)
    participant, areas = await _locked(command.participant_id, target, uow)
    decision = when_caseworker_places(
        participant, command.workshop_id, areas, context.policy, context.today, context.now
    )
    await record(decision, areas.values(), uow, correlation_id=context.correlation_id, causation_id=None)
    return participant


async def transfer(command: Transfer, context: Context, *, uow: PlacementUnitOfWork) -> Participant:
    target = await _area_of_workshop(command.workshop_id, uow)
    participant, areas = await _locked(command.participant_id, target, uow)
    decision = when_caseworker_transfers(
        participant, command.workshop_id, areas, context.policy, context.today, context.now
    )
    await record(decision, areas.values(), uow, correlation_id=context.correlation_id, causation_id=None)
    return participant


async def end_placement(command: EndPlacement, context: Context, *, uow: PlacementUnitOfWork) -> Participant:
    participant, areas = await _locked(command.participant_id, None, uow)
    decision = when_caseworker_ends_placement(
        participant,
        command.reason,
        command.ended_on or context.today,
        areas,
        context.policy,
        context.today,
        context.now,
    )
    await record(decision, areas.values(), uow, correlation_id=context.correlation_id, causation_id=None)
    return participant


async def set_urgency(command: SetUrgency, context: Context, *, uow: PlacementUnitOfWork) -> Participant:
    participant, areas = await _locked(command.participant_id, None, uow)
    decision = when_urgency_changes(participant, command.urgent, command.reason, areas)
    await record(decision, areas.values(), uow, correlation_id=context.correlation_id, causation_id=None)
    return participant


async def _area_of_workshop(workshop_id: uuid.UUID, uow: PlacementUnitOfWork) -> WorkArea:
    workshop = await uow.workshops.get(workshop_id)
    if workshop is None:
        raise WorkshopMustBeKnown(f"placement knows no workshop {workshop_id}")
    return workshop.work_area


async def _locked(
    participant_id: uuid.UUID, target: WorkArea | None, uow: PlacementUnitOfWork
) -> tuple[Participant, dict[WorkArea, Area]]:
    participant, areas = await lock_for(
        participant_id, lambda known: areas_needed_for_casework(known, target), uow
    )
    if participant is None:
        raise ParticipantMustBeKnown(f"placement knows no participant {participant_id}")
    return participant, areas
