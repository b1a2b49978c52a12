"""Caseworkers' placement actions over HTTP: place by hand, transfer, end a placement, flag an
urgent case. Each is one transaction with its events; the POSTs take an `Idempotency-Key`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse

from placement.application import casework
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.participant import Participant
from placement.entrypoints.http_context import CaseStaff, UnitOfWork, answer, answer_idempotently, context_of
from placement.entrypoints.http_requests import EndPlacementRequest, PriorityRequest, WorkshopChoice
from placement.entrypoints.http_schemas import PlacementView
from placement.entrypoints.http_views import placement_view
from werkstattnetz_shared.web.errors import error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey

router = APIRouter(tags=["placements"], responses=error_responses(401, 403, 503))

CHANGING_ERRORS = error_responses(404, 409, 422)


@router.post(
    "/participants/{participant_id}/placement",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementView,
    responses=CHANGING_ERRORS,
)
async def place_by_hand(
    participant_id: uuid.UUID,
    body: WorkshopChoice,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> PlacementView | JSONResponse:
    """Place someone waiting (for any area) or between two placements in a workshop with a free
    seat no offer holds. 409: no such seat (`seat_must_be_free`), placed already (transfer them
    instead), the stay has ended, or the person holds an offer to answer first."""
    context = context_of(request)
    command = casework.PlaceByHand(participant_id, body.workshop_id)
    work = _placement_after(lambda: casework.place_by_hand(command, context, uow=uow), uow)
    return await answer_idempotently(
        uow, request, staff, idempotency_key, body, work, status.HTTP_201_CREATED
    )


@router.post(
    "/participants/{participant_id}/transfer",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementView,
    responses=CHANGING_ERRORS,
)
async def transfer(
    participant_id: uuid.UUID,
    body: WorkshopChoice,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> PlacementView | JSONResponse:
    """Move someone placed to a free seat of another workshop, in their area or another one:
    `PlacementEnded` (transferred) and `ParticipantPlaced` (transfer); the seat left is offered on."""
    context = context_of(request)
    command = casework.Transfer(participant_id, body.workshop_id)
    work = _placement_after(lambda: casework.transfer(command, context, uow=uow), uow)
    return await answer_idempotently(
        uow, request, staff, idempotency_key, body, work, status.HTTP_201_CREATED
    )


@router.post(
    "/participants/{participant_id}/placement/end",
    response_model=PlacementView,
    responses=CHANGING_ERRORS,
)
async def end_placement(
    participant_id: uuid.UUID,
    body: EndPlacementRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> PlacementView | JSONResponse:
    """End a placement (`completed`, `dropout`, or `exited` ahead of the exit): the person stays in
    the programme, between placements, until their exit or a new placement; the seat is offered on."""
    context = context_of(request)
    command = casework.EndPlacement(participant_id, body.reason, body.ended_on)
    work = _placement_after(lambda: casework.end_placement(command, context, uow=uow), uow)
    return await answer_idempotently(uow, request, staff, idempotency_key, body, work, status.HTTP_200_OK)


@router.put(
    "/participants/{participant_id}/priority", response_model=PlacementView, responses=CHANGING_ERRORS
)
async def set_priority(
    participant_id: uuid.UUID, body: PriorityRequest, request: Request, staff: CaseStaff, uow: UnitOfWork
) -> PlacementView:
    """Flag an urgent case (with its reason code) or unflag it. Urgent cases wait ahead of everyone
    else; offers already made stay as they are."""
    context = context_of(request)
    command = casework.SetUrgency(participant_id, body.urgent, body.reason)
    return await answer(uow, _placement_after(lambda: casework.set_urgency(command, context, uow=uow), uow))


def _placement_after(
    use_case: Callable[[], Awaitable[Participant]], uow: PlacementUnitOfWork
) -> Callable[[], Awaitable[PlacementView]]:
    """Run the use case, then answer with the participant's placement as its transaction sees it."""

    async def work() -> PlacementView:
        participant = await use_case()
        placement = await uow.read_models.placement_of(participant.participant_id)
        assert placement is not None
        return placement_view(placement)

    return work
