"""placement's HTTP API under `/v1`: where a participant stands, the waitlists, and (included
from their own modules) the workshop catalogue, caseworkers' actions and seat offers.

Routes only translate: request → use case or query → response.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, status

from placement.entrypoints import casework_routes, offer_routes, workshop_routes
from placement.entrypoints.http_context import CaseStaff, UnitOfWork
from placement.entrypoints.http_schemas import PlacementView, WaitlistPage
from placement.entrypoints.http_views import placement_view, waitlist_entry_view
from werkstattnetz_shared.events.vocabulary import WorkArea
from werkstattnetz_shared.web.dependencies import PageLimit, PageOffset
from werkstattnetz_shared.web.errors import ApiError, error_responses

# Every route needs a token and a role, and reads the database.
router = APIRouter(prefix="/v1", tags=["placement"], responses=error_responses(401, 403, 503))


@router.get(
    "/participants/{participant_id}/placement",
    response_model=PlacementView,
    responses=error_responses(404, 422),
)
async def participant_placement(
    participant_id: uuid.UUID, staff: CaseStaff, uow: UnitOfWork
) -> PlacementView:
    """Where the person stands: placed (in which workshop), waiting (position, waiting time, an
    open offer), between placements, or gone."""
    async with uow:
        placement = await uow.read_models.placement_of(participant_id)
    if placement is None:
        raise ApiError(
            status.HTTP_404_NOT_FOUND,
            "participant_must_be_known",
            f"placement knows no participant {participant_id}",
            "participant_id",
        )
    return placement_view(placement)


@router.get("/workshops/{work_area}/waitlist", response_model=WaitlistPage, responses=error_responses(422))
async def workshop_waitlist(
    work_area: Annotated[WorkArea, Path(description="One of the four work areas.")],
    staff: CaseStaff,
    uow: UnitOfWork,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> WaitlistPage:
    """The people waiting for a work area (any of its workshops) in fair order: urgent cases first,
    then by the moment of enrolment as intake stated it; with each one's waiting time and offer."""
    async with uow:
        page = await uow.read_models.waitlist_page(work_area, limit=limit, offset=offset)
    return WaitlistPage(
        work_area=work_area,
        items=[waitlist_entry_view(spot) for spot in page.spots],
        total=page.total,
        average_waiting_days=page.average_waiting_days,
        next_offset=offset + len(page.spots) if offset + len(page.spots) < page.total else None,
    )


router.include_router(workshop_routes.router)
router.include_router(casework_routes.router)
router.include_router(offer_routes.router)
