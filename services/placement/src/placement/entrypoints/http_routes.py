"""placement's HTTP API (read-only). Routes only translate: request → query → response."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, status

from placement.adapters.read_models import ParticipantPlacement, WorkshopOccupancy
from placement.application.unit_of_work import PlacementUnitOfWork
from placement.entrypoints.http_schemas import PlacementView, WaitlistEntryView, WaitlistPage, WorkshopView
from werkstattnetz_shared.events.vocabulary import WorkArea
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import PageLimit, PageOffset
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, error_responses

# Every route needs a token and a role, and reads the database.
router = APIRouter(prefix="/v1", tags=["placement"], responses=error_responses(401, 403, 503))

# Occupancy figures are anonymous counts, so reporting may see them; who waits or sits where is
# case work, for caseworkers and managers only.
OccupancyReaders = Annotated[
    StaffMember, require_roles(StaffRole.CASEWORKER, StaffRole.MANAGER, StaffRole.REPORTING)
]
CaseStaff = Annotated[StaffMember, require_roles(StaffRole.CASEWORKER, StaffRole.MANAGER)]
UnitOfWork = UnitOfWorkOf[PlacementUnitOfWork]


@router.get("/workshops", response_model=list[WorkshopView])
async def list_workshops(staff: OccupancyReaders, uow: UnitOfWork) -> list[WorkshopView]:
    """All four workshops; a fixed, small list, so it is not paginated."""
    async with uow:
        workshops = await uow.read_models.workshops()
    return [_workshop_view(occupancy) for occupancy in workshops]


@router.get(
    "/participants/{participant_id}/placement",
    response_model=PlacementView,
    responses=error_responses(404, 422),
)
async def participant_placement(
    participant_id: uuid.UUID, staff: CaseStaff, uow: UnitOfWork
) -> PlacementView:
    async with uow:
        placement = await uow.read_models.placement_of(participant_id)
    if placement is None:
        raise ApiError(
            status.HTTP_404_NOT_FOUND,
            "participant_must_be_known",
            f"placement knows no participant {participant_id}",
            "participant_id",
        )
    return _placement_view(placement)


@router.get("/workshops/{work_area}/waitlist", response_model=WaitlistPage, responses=error_responses(422))
async def workshop_waitlist(
    work_area: Annotated[WorkArea, Path(description="One of the four work areas.")],
    staff: CaseStaff,
    uow: UnitOfWork,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> WaitlistPage:
    async with uow:
        spots, total = await uow.read_models.waitlist_page(work_area, limit=limit, offset=offset)
    return WaitlistPage(
        work_area=work_area,
        items=[
            WaitlistEntryView(
                participant_id=spot.participant_id, position=spot.position, waiting_since=spot.waiting_since
            )
            for spot in spots
        ],
        total=total,
        next_offset=offset + len(spots) if offset + len(spots) < total else None,
    )


def _workshop_view(occupancy: WorkshopOccupancy) -> WorkshopView:
    workshop = occupancy.workshop
    return WorkshopView(
        work_area=workshop.work_area,
        capacity=workshop.capacity,
        occupied=workshop.occupied,
        free_seats=workshop.free_seats,
        waitlist_length=occupancy.waitlist_length,
    )


def _placement_view(placement: ParticipantPlacement) -> PlacementView:
    return PlacementView(
        participant_id=placement.participant_id,
        status=placement.status.value,
        work_area=placement.work_area,
        placed_on=placement.placed_on,
        from_waitlist=placement.from_waitlist,
        waitlist_position=placement.waitlist_position,
        waiting_since=placement.waiting_since,
        ended_on=placement.ended_on,
        exited_on=placement.exited_on,
        stay=placement.stay,
        enrolment_id=placement.enrolment_id,
        held_re_entries=placement.held_re_entries,
    )
