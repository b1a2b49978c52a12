"""notifications' delivery log: who was told what over which channel, did it go out; admins retry."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.delivery import Channel, Delivery, DeliveryMustHaveFailed, DeliveryStatus
from notifications.entrypoints.http_schemas import DeliveryPage, DeliveryView
from werkstattnetz_shared.web.auth import StaffMember, StaffRole, require_roles
from werkstattnetz_shared.web.dependencies import PageLimit
from werkstattnetz_shared.web.dependencies import UnitOfWork as UnitOfWorkOf
from werkstattnetz_shared.web.errors import ApiError, error_responses

# Every route needs a token and a role, and reads the database.
router = APIRouter(prefix="/v1", tags=["notifications"], responses=error_responses(401, 403, 503))

DeliveryReaders = Annotated[StaffMember, require_roles(StaffRole.CASEWORKER, StaffRole.MANAGER)]
Admin = Annotated[StaffMember, require_roles(StaffRole.ADMIN)]
UnitOfWork = UnitOfWorkOf[NotificationsUnitOfWork]


@router.get("/deliveries", response_model=DeliveryPage, responses=error_responses(422))
async def list_deliveries(
    staff: DeliveryReaders,
    uow: UnitOfWork,
    participant_id: Annotated[uuid.UUID | None, Query(description="Only this participant's mails")] = None,
    delivery_status: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    channel: Annotated[Channel | None, Query(description="email or webhook")] = None,
    after: Annotated[uuid.UUID | None, Query(description="delivery_id of the last item seen")] = None,
    limit: PageLimit = 50,
) -> DeliveryPage:
    async with uow:
        if after is not None and not await uow.deliveries.exists(after):
            raise ApiError(
                status.HTTP_422_UNPROCESSABLE_CONTENT,
                "after_must_name_a_delivery",
                f"no delivery {after}: pass the delivery_id of the last item of the previous page",
                "after",
            )
        deliveries = await uow.deliveries.list_page(
            participant_id=participant_id, status=delivery_status, after=after, limit=limit, channel=channel
        )
    items = [_view(delivery) for delivery in deliveries]
    return DeliveryPage(items=items, next_after=items[-1].delivery_id if len(items) == limit else None)


@router.post(
    "/deliveries/{delivery_id}/retry",
    response_model=DeliveryView,
    responses=error_responses(404, 409, 422),
    summary="Send a failed delivery again (admins)",
)
async def retry_delivery(delivery_id: uuid.UUID, admin: Admin, uow: UnitOfWork) -> DeliveryView:
    """One more attempt, now; the log keeps counting attempts and records who retried."""
    async with uow:
        delivery = await uow.deliveries.get_for_update(delivery_id)
        if delivery is None:
            raise ApiError(status.HTTP_404_NOT_FOUND, "delivery_must_exist", f"no delivery {delivery_id}")
        try:
            delivery.retry_by_admin(admin.subject, dt.datetime.now(dt.UTC))
        except DeliveryMustHaveFailed as error:
            raise ApiError(status.HTTP_409_CONFLICT, error.rule, error.message) from error
        await uow.deliveries.save(delivery)
        await uow.commit()
    return _view(delivery)


def _view(delivery: Delivery) -> DeliveryView:
    return DeliveryView(
        delivery_id=delivery.delivery_id,
        participant_id=delivery.participant_id,
        notification_kind=delivery.kind,
        trigger_event_type=delivery.trigger.event_type,
        trigger_event_id=delivery.trigger.event_id,
        channel=delivery.channel.value,
        recipient_kind=delivery.recipient_kind.value,
        recipient_subject=delivery.recipient_subject,
        recipient=delivery.recipient,
        subject=delivery.subject,
        language=delivery.language.value,
        status=delivery.status.value,
        attempts=delivery.attempts,
        created_at=delivery.created_at,
        next_attempt_at=delivery.next_attempt_at,
        sent_at=delivery.sent_at,
        failed_at=delivery.failed_at,
        last_error=delivery.last_error,
        permanent_failure=delivery.permanent_failure,
        retried_by=delivery.retried_by,
    )
