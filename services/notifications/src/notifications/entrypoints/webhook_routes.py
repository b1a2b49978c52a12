"""Webhook subscriptions of partner systems, with their signing secrets (/v1/webhooks)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from notifications.application import administration
from notifications.application.administration import KEEP, NewWebhook, WebhookChange
from notifications.domain.webhooks import WebhookMustBeKnown
from notifications.entrypoints.admin_common import (
    Admins,
    SubscriptionId,
    UnitOfWork,
    answer,
    api_error,
)
from notifications.entrypoints.admin_schemas import (
    NewWebhookRequest,
    WebhookChangeRequest,
    WebhookView,
    WebhookWithSecret,
    webhook_view,
    webhook_with_secret,
)
from werkstattnetz_shared.web.errors import error_responses

router = APIRouter(prefix="/v1", responses=error_responses(401, 403, 503))

# -- webhook subscriptions


@router.post(
    "/webhooks",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookWithSecret,
    tags=["webhooks"],
    responses=error_responses(409, 422),
)
async def create_webhook(
    body: NewWebhookRequest, response: Response, staff: Admins, uow: UnitOfWork
) -> WebhookWithSecret:
    """A new subscription with its signing secret, shown only in this answer (409
    `webhook_name_must_be_unique` when the name is taken, which also keeps a retry from adding a
    second one; that is why there is no Idempotency-Key, which would have to store the secret)."""
    new = NewWebhook(name=body.name, url=body.url, kinds=frozenset(body.kinds))
    subscription = await answer(uow, lambda: administration.create_webhook(new, uow=uow))
    response.headers["Location"] = f"/v1/webhooks/{subscription.subscription_id}"
    return webhook_with_secret(subscription)


@router.get("/webhooks", response_model=list[WebhookView], tags=["webhooks"])
async def list_webhooks(staff: Admins, uow: UnitOfWork) -> list[WebhookView]:
    """Every subscription by name, without secrets (a short list: not paged)."""
    async with uow:
        subscriptions = await uow.webhooks.all()
    return [webhook_view(subscription) for subscription in subscriptions]


@router.get(
    "/webhooks/{subscription_id}",
    response_model=WebhookView,
    tags=["webhooks"],
    responses=error_responses(404, 422),
)
async def get_webhook(subscription_id: SubscriptionId, staff: Admins, uow: UnitOfWork) -> WebhookView:
    async with uow:
        subscription = await uow.webhooks.get(subscription_id)
    if subscription is None:
        raise api_error(WebhookMustBeKnown(f"there is no webhook subscription {subscription_id}"))
    return webhook_view(subscription)


@router.patch(
    "/webhooks/{subscription_id}",
    response_model=WebhookView,
    tags=["webhooks"],
    responses=error_responses(404, 422),
)
async def change_webhook(
    subscription_id: SubscriptionId, body: WebhookChangeRequest, staff: Admins, uow: UnitOfWork
) -> WebhookView:
    """url, kinds and active; the fields left out stay as they are."""
    given = body.model_fields_set
    change = WebhookChange(
        url=body.url if "url" in given else KEEP,
        kinds=frozenset(body.kinds) if "kinds" in given else KEEP,
        active=body.active if "active" in given else KEEP,
    )
    changed = await answer(uow, lambda: administration.change_webhook(subscription_id, change, uow=uow))
    return webhook_view(changed)


@router.post(
    "/webhooks/{subscription_id}/secret",
    response_model=WebhookWithSecret,
    tags=["webhooks"],
    responses=error_responses(404, 422),
)
async def rotate_webhook_secret(
    subscription_id: SubscriptionId, staff: Admins, uow: UnitOfWork
) -> WebhookWithSecret:
    """A new signing secret, shown only in this answer; the old one signs nothing from now on."""
    rotated = await answer(uow, lambda: administration.rotate_webhook_secret(subscription_id, uow=uow))
    return webhook_with_secret(rotated)


@router.delete(
    "/webhooks/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["webhooks"],
    responses=error_responses(404, 422),
)
async def delete_webhook(subscription_id: SubscriptionId, staff: Admins, uow: UnitOfWork) -> None:
    await answer(uow, lambda: administration.delete_webhook(subscription_id, uow=uow))
