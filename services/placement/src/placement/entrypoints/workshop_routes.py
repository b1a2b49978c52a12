"""The workshop catalogue over HTTP: everyone on the case sees it with its occupancy; admins open
and change workshops (new or freed seats are offered to those waiting, in the same request)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, status
from fastapi.responses import JSONResponse

from placement.application import workshop_catalogue
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.domain.errors import WorkshopMustBeKnown
from placement.domain.workshop import KEEP, Workshop, WorkshopChange
from placement.entrypoints.http_context import (
    Admins,
    OccupancyReaders,
    UnitOfWork,
    answer,
    answer_idempotently,
    api_error,
    context_of,
)
from placement.entrypoints.http_requests import NewWorkshopRequest, WorkshopChangeRequest
from placement.entrypoints.http_schemas import WorkshopView
from placement.entrypoints.http_views import workshop_view
from placement.settings import PlacementSettings
from werkstattnetz_shared.web.errors import error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey

router = APIRouter(tags=["workshops"], responses=error_responses(401, 403, 503))

WorkshopId = Annotated[uuid.UUID, Path(description="The workshop's id.")]


@router.get("/workshops", response_model=list[WorkshopView])
async def list_workshops(request: Request, staff: OccupancyReaders, uow: UnitOfWork) -> list[WorkshopView]:
    """Every workshop, by work area and name, with its occupancy (placed and held by open offers),
    free seats, and its area's waitlist (length, average waiting time). A small list: not paged."""
    async with uow:
        workshops = await uow.read_models.workshops()
    policy = _settings(request).placement_policy
    return [workshop_view(occupancy, policy) for occupancy in workshops]


@router.get("/workshops/{workshop_id}", response_model=WorkshopView, responses=error_responses(404, 422))
async def get_workshop(
    workshop_id: WorkshopId, request: Request, staff: OccupancyReaders, uow: UnitOfWork
) -> WorkshopView:
    return await _view_of(workshop_id, request, uow)


@router.post(
    "/workshops",
    status_code=status.HTTP_201_CREATED,
    response_model=WorkshopView,
    responses=error_responses(409, 422),
)
async def open_workshop(
    body: NewWorkshopRequest,
    request: Request,
    staff: Admins,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> WorkshopView | JSONResponse:
    """A new workshop (409 `workshop_name_must_be_unique` when the name is taken). Its seats are
    offered to those waiting for its work area at once."""
    context = context_of(request)
    workshop = Workshop(
        workshop_id=uuid.uuid4(),
        work_area=body.work_area,
        name=body.name,
        seats=body.seats,
        lead_instructor=body.lead_instructor,
        opening_days=tuple(body.opening_days),
    )

    async def open_it() -> WorkshopView:
        await workshop_catalogue.open_workshop(workshop, context, uow=uow)
        return await _view_in(workshop.workshop_id, request, uow)

    return await answer_idempotently(
        uow, request, staff, idempotency_key, body, open_it, status.HTTP_201_CREATED
    )


@router.patch(
    "/workshops/{workshop_id}", response_model=WorkshopView, responses=error_responses(404, 409, 422)
)
async def change_workshop(
    workshop_id: WorkshopId, body: WorkshopChangeRequest, request: Request, staff: Admins, uow: UnitOfWork
) -> WorkshopView:
    """Change name, seats, lead or opening days. Seats shrink only down to the occupancy (409
    `seats_must_cover_occupancy`); added seats are offered to those waiting at once."""
    context = context_of(request)
    change = WorkshopChange(
        name=body.name,
        seats=body.seats,
        lead_instructor=body.lead_instructor if "lead_instructor" in body.model_fields_set else KEEP,
        opening_days=tuple(body.opening_days) if body.opening_days is not None else None,
    )

    async def change_it() -> WorkshopView:
        await workshop_catalogue.change_workshop(
            workshop_catalogue.ChangeWorkshop(workshop_id, change), context, uow=uow
        )
        return await _view_in(workshop_id, request, uow)

    return await answer(uow, change_it)


async def _view_of(workshop_id: uuid.UUID, request: Request, uow: PlacementUnitOfWork) -> WorkshopView:
    async with uow:
        try:
            return await _view_in(workshop_id, request, uow)
        except WorkshopMustBeKnown as violation:
            raise api_error(violation) from violation


async def _view_in(workshop_id: uuid.UUID, request: Request, uow: PlacementUnitOfWork) -> WorkshopView:
    """The workshop as the open transaction sees it (its own changes included)."""
    found = await uow.read_models.workshops(workshop_id)
    if not found:
        raise WorkshopMustBeKnown(f"placement knows no workshop {workshop_id}")
    return workshop_view(found[0], _settings(request).placement_policy)


def _settings(request: Request) -> PlacementSettings:
    settings: PlacementSettings = request.app.state.settings
    return settings
