"""Seat offers over HTTP: staff list them, accept one (its holder is placed) or decline it (the
seat goes to the next in line). An offer not answered in time expires by itself (`offer_timer`)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import JSONResponse

from placement.application import offer_handling
from placement.domain.errors import OfferMustBeKnown
from placement.domain.offers import OfferStatus
from placement.entrypoints.http_context import (
    CaseStaff,
    UnitOfWork,
    answer_idempotently,
    api_error,
    context_of,
)
from placement.entrypoints.http_requests import DeclineRequest
from placement.entrypoints.http_schemas import OfferPage, OfferView
from placement.entrypoints.http_views import offer_view
from werkstattnetz_shared.web.dependencies import PageLimit, PageOffset
from werkstattnetz_shared.web.errors import error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey

router = APIRouter(tags=["offers"], responses=error_responses(401, 403, 503))

OfferId = Annotated[uuid.UUID, Path(description="The offer's id.")]


@router.get("/offers", response_model=OfferPage, responses=error_responses(422))
async def list_offers(
    staff: CaseStaff,
    uow: UnitOfWork,
    offer_status: Annotated[OfferStatus | None, Query(alias="status")] = None,
    workshop_id: uuid.UUID | None = None,
    participant_id: uuid.UUID | None = None,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> OfferPage:
    """Offers, newest first; `status=open` for those waiting for an answer."""
    async with uow:
        offers, total = await uow.read_models.offers(
            status=offer_status,
            workshop_id=workshop_id,
            participant_id=participant_id,
            limit=limit,
            offset=offset,
        )
    return OfferPage(
        items=[offer_view(offer) for offer in offers],
        total=total,
        next_offset=offset + len(offers) if offset + len(offers) < total else None,
    )


@router.get("/offers/{offer_id}", response_model=OfferView, responses=error_responses(404, 422))
async def get_offer(offer_id: OfferId, staff: CaseStaff, uow: UnitOfWork) -> OfferView:
    async with uow:
        offer = await uow.offers.get(offer_id)
    if offer is None:
        raise api_error(OfferMustBeKnown(f"placement knows no offer {offer_id}"))
    return offer_view(offer)


@router.post("/offers/{offer_id}/accept", response_model=OfferView, responses=error_responses(404, 409, 422))
async def accept_offer(
    offer_id: OfferId,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> OfferView | JSONResponse:
    """The offer's holder takes the seat from today (`ParticipantPlaced`, from the waitlist).
    409 `offer_must_be_open`: answered already, or expired."""
    context = context_of(request)
    command = offer_handling.AcceptOffer(offer_id, staff.subject)

    async def accept() -> OfferView:
        return offer_view(await offer_handling.accept_offer(command, context, uow=uow))

    return await answer_idempotently(uow, request, staff, idempotency_key, None, accept, status.HTTP_200_OK)


@router.post("/offers/{offer_id}/decline", response_model=OfferView, responses=error_responses(404, 409, 422))
async def decline_offer(
    offer_id: OfferId,
    body: DeclineRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> OfferView | JSONResponse:
    """`OfferDeclined`; the seat is offered to the next suitable person. The person keeps their
    place on the waitlist for later seats, but is not offered this seat again."""
    context = context_of(request)
    command = offer_handling.DeclineOffer(offer_id, body.reason, staff.subject)

    async def decline() -> OfferView:
        return offer_view(await offer_handling.decline_offer(command, context, uow=uow))

    return await answer_idempotently(uow, request, staff, idempotency_key, body, decline, status.HTTP_200_OK)
