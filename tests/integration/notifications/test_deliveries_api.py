"""GET /v1/deliveries: who may read it, how it filters and pages, and how it rejects bad input."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.notifications.conftest import SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    CASEWORKER,
    integrated,
    list_deliveries,
    placed,
    wait_for_deliveries,
    waitlisted,
)
from tests.support.tokens import auth_header

pytestmark = pytest.mark.integration


async def test_deliveries_are_listed_by_role_filtered_and_paged(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    """With an empty staff directory: a waitlisting and an integration each mail the office; a
    placement mails the office (no workshop lead) and keeps one delivery awaiting the caseworker."""
    someone = uuid.uuid4()
    async with start_notifications(smtp_server) as service:
        await service.publish_placement_event(waitlisted(someone))
        await service.publish_placement_event(placed(someone))
        await service.publish_outcomes_event(integrated())
        await wait_for_deliveries(service, 3, status="sent")
        everything = await list_deliveries(service)
        client = service.client

        assert (await client.get("/v1/deliveries")).status_code == 401
        bad_token = {"Authorization": "Bearer not-a-token"}
        assert (await client.get("/v1/deliveries", headers=bad_token)).status_code == 401
        for role in ("intake", "reporting", "workshop_lead"):
            assert (await client.get("/v1/deliveries", headers=auth_header(role))).status_code == 403
        for role in ("caseworker", "manager", "admin"):
            response = await client.get("/v1/deliveries", headers=auth_header(role))
            assert response.status_code == 200, (role, response.text)
            assert len(response.json()["items"]) == 4

        theirs = await list_deliveries(service, participant_id=str(someone))
        assert sorted((d["notification_kind"], d["recipient_kind"], d["status"]) for d in theirs) == [
            ("placement", "office", "sent"),
            ("placement", "staff", "awaiting_recipient"),
            ("waitlisting", "office", "sent"),
        ]
        assert await list_deliveries(service, status="failed") == []
        assert len(await list_deliveries(service, status="sent")) == 3
        assert len(await list_deliveries(service, status="awaiting_recipient")) == 1
        assert len(await list_deliveries(service, channel="email")) == 4
        assert await list_deliveries(service, channel="webhook") == []

        first = await client.get("/v1/deliveries", params={"limit": 3}, headers=CASEWORKER)
        page = first.json()
        assert [d["delivery_id"] for d in page["items"]] == [d["delivery_id"] for d in everything[:3]]
        assert page["next_after"] == page["items"][2]["delivery_id"]
        rest = await client.get(
            "/v1/deliveries", params={"limit": 3, "after": page["next_after"]}, headers=CASEWORKER
        )
        assert [d["delivery_id"] for d in rest.json()["items"]] == [everything[3]["delivery_id"]]
        assert rest.json()["next_after"] is None


BAD_QUERIES: list[tuple[dict[str, str | int], str, str]] = [
    ({"status": "delivered"}, "query.status", "enum"),
    ({"channel": "pigeon"}, "query.channel", "enum"),
    ({"limit": 201}, "query.limit", "less_than_equal"),
    ({"limit": 0}, "query.limit", "greater_than_equal"),
    ({"participant_id": "Mia Krause"}, "query.participant_id", "uuid_parsing"),
    ({"after": str(uuid.uuid4())}, "after", "after_must_name_a_delivery"),
]


async def test_bad_query_parameters_are_rejected_naming_field_and_rule(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    async with start_notifications(smtp_server) as service:
        for params, field, rule in BAD_QUERIES:
            response = await service.client.get("/v1/deliveries", params=params, headers=CASEWORKER)
            assert response.status_code == 422, (params, response.text)
            [detail] = response.json()["error"]["details"]
            assert (detail["field"], detail["rule"]) == (field, rule), params
