"""placement's HTTP API: roles of every route, 404/422 naming the field, and the waitlist's pages."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest, enrolled
from tests.support.tokens import VERIFIER, auth_header
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

SOMEONE = uuid.uuid4()
SOMETHING = uuid.uuid4()
ENDPOINTS = [
    "/v1/workshops",
    f"/v1/participants/{SOMEONE}/placement",
    "/v1/workshops/care/waitlist",
    f"/v1/workshops/{SOMETHING}",
    "/v1/offers",
    f"/v1/offers/{SOMETHING}",
]
# Changing routes: (method, path, body, roles allowed, roles refused). Allowed roles get past the
# role check to a 404 (nobody and nothing is known here) or a 201 (a new workshop).
CHANGES = [
    ("POST", "/v1/workshops", {"work_area": "care", "name": "Pflege {role}", "seats": 1}, ["admin"],
     ["caseworker", "manager", "reporting", "intake"]),
    ("PATCH", f"/v1/workshops/{SOMETHING}", {"seats": 2}, ["admin"], ["caseworker", "manager", "reporting"]),
    ("POST", f"/v1/participants/{SOMEONE}/placement", {"workshop_id": str(SOMETHING)},
     ["caseworker", "manager", "admin"], ["intake", "reporting"]),
    ("POST", f"/v1/participants/{SOMEONE}/transfer", {"workshop_id": str(SOMETHING)},
     ["caseworker", "manager", "admin"], ["intake", "reporting"]),
    ("POST", f"/v1/participants/{SOMEONE}/placement/end", {"reason": "completed"},
     ["caseworker", "manager", "admin"], ["intake", "reporting"]),
    ("PUT", f"/v1/participants/{SOMEONE}/priority", {"urgent": False},
     ["caseworker", "manager", "admin"], ["intake", "reporting"]),
    ("POST", f"/v1/offers/{SOMETHING}/accept", None,
     ["caseworker", "manager", "admin"], ["intake", "reporting"]),
    ("POST", f"/v1/offers/{SOMETHING}/decline", {"reason": "other"},
     ["caseworker", "manager", "admin"], ["intake", "reporting"]),
]  # fmt: skip


@pytest.mark.parametrize("path", ENDPOINTS)
async def test_every_endpoint_needs_a_valid_token(placement: PlacementUnderTest, path: str) -> None:
    assert (await placement.client.get(path)).status_code == 401
    forged = VERIFIER.issue("mallory", ["admin"]) + "x"
    response = await placement.client.get(path, headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    ("path", "allowed", "refused"),
    [
        (ENDPOINTS[0], ["caseworker", "manager", "reporting", "admin"], ["intake"]),
        (ENDPOINTS[1], ["caseworker", "manager", "admin"], ["intake", "reporting"]),
        (ENDPOINTS[2], ["caseworker", "manager", "admin"], ["intake", "reporting"]),
        (ENDPOINTS[3], ["caseworker", "manager", "reporting", "admin"], ["intake"]),
        (ENDPOINTS[4], ["caseworker", "manager", "admin"], ["intake", "reporting"]),
        (ENDPOINTS[5], ["caseworker", "manager", "admin"], ["intake", "reporting"]),
    ],
)
async def test_each_endpoint_admits_only_its_roles(
    placement: PlacementUnderTest, path: str, allowed: list[str], refused: list[str]
) -> None:
    for role in allowed:
        response = await placement.client.get(path, headers=auth_header(role))
        assert response.status_code in {200, 404}, (role, response.text)  # 404: SOMEONE is unknown
    for role in refused:
        response = await placement.client.get(path, headers=auth_header(role))
        assert response.status_code == 403, role
        assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("method", "path", "body", "allowed", "refused"), CHANGES)
async def test_each_change_admits_only_its_roles(
    placement: PlacementUnderTest,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    allowed: list[str],
    refused: list[str],
) -> None:
    def sent(role: str) -> dict[str, Any] | None:
        return (
            {k: v.format(role=role) if isinstance(v, str) else v for k, v in body.items()} if body else None
        )

    assert (await placement.client.request(method, path, json=body)).status_code == 401
    for role in refused:
        response = await placement.client.request(method, path, json=sent(role), headers=auth_header(role))
        assert response.status_code == 403, (role, response.text)
        assert response.json()["error"]["code"] == "forbidden"
    for role in allowed:
        response = await placement.client.request(method, path, json=sent(role), headers=auth_header(role))
        assert response.status_code in {201, 404}, (role, response.text)


async def test_the_default_workshops_show_their_seats_with_nobody_placed(
    placement: PlacementUnderTest,
) -> None:
    response = await placement.client.get("/v1/workshops", headers=auth_header("reporting"))
    assert response.status_code == 200
    workshops = response.json()
    assert {item["work_area"]: (item["seats"], item["free_seats"]) for item in workshops} == {
        "bike_metal": (0, 0),
        "building_services": (14, 14),
        "care": (1, 1),
        "garden_landscape": (14, 14),
    }
    care = next(item for item in workshops if item["work_area"] == "care")
    assert {key: care[key] for key in ("name", "lead_instructor", "opening_days", "automatic_placement")} == {
        "name": "Betreuung und Pflege",
        "lead_instructor": None,
        "opening_days": [1, 2, 3, 4, 5],
        "automatic_placement": True,
    }
    assert (care["placed"], care["open_offers"], care["occupied"], care["waitlist_length"]) == (0, 0, 0, 0)
    assert care["average_waiting_days"] is None
    one = await placement.client.get(f"/v1/workshops/{care['workshop_id']}", headers=auth_header("reporting"))
    assert one.json() == care


async def test_unknown_ids_are_404_naming_the_field_and_a_malformed_id_422(
    placement: PlacementUnderTest,
) -> None:
    for path, field in (
        (f"/v1/participants/{SOMEONE}/placement", "participant_id"),
        (f"/v1/workshops/{SOMETHING}", "workshop_id"),
        (f"/v1/offers/{SOMETHING}", "offer_id"),
    ):
        response = await placement.client.get(path, headers=CASEWORKER)
        assert response.status_code == 404, path
        assert response.json()["error"]["details"][0]["field"] == field
    response = await placement.client.get("/v1/participants/not-a-uuid/placement", headers=CASEWORKER)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "path.participant_id"


async def test_an_unknown_work_area_or_a_bad_page_is_422_naming_the_field(
    placement: PlacementUnderTest,
) -> None:
    response = await placement.client.get("/v1/workshops/woodwork/waitlist", headers=CASEWORKER)
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == ("path.work_area", "enum")
    for query, field in (
        ("limit=201", "query.limit"),
        ("limit=0", "query.limit"),
        ("offset=-1", "query.offset"),
        ("offset=9223372036854775808", "query.offset"),  # past bigint: used to be a 500
        ("offset=100001", "query.offset"),
        ("limit=99999999999999999999", "query.limit"),
    ):
        response = await placement.client.get(f"/v1/workshops/care/waitlist?{query}", headers=CASEWORKER)
        assert response.status_code == 422, query
        assert response.json()["error"]["details"][0]["field"] == field
    response = await placement.client.get("/v1/offers?status=maybe", headers=CASEWORKER)
    assert response.json()["error"]["details"][0]["field"] == "query.status"


async def test_the_waitlist_pages_in_fair_order_with_waiting_times(placement: PlacementUnderTest) -> None:
    seated = enrolled(WorkArea.CARE)
    await placement.enrol(seated)
    await placement.wait_for_status(seated.participant_id, "placed")
    waiting = [enrolled(WorkArea.CARE) for _ in range(3)]
    for envelope in waiting:
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, "waitlisted")

    first_page = await placement.client.get("/v1/workshops/care/waitlist?limit=2", headers=CASEWORKER)
    assert first_page.status_code == 200
    body = first_page.json()
    assert (body["work_area"], body["total"], body["next_offset"]) == ("care", 3, 2)
    assert [item["participant_id"] for item in body["items"]] == [str(e.participant_id) for e in waiting[:2]]
    assert [item["position"] for item in body["items"]] == [1, 2]
    assert body["items"][0]["waiting_since"] <= body["items"][1]["waiting_since"]
    assert body["items"][0]["waiting_since"] == waiting[0].occurred_at.isoformat().replace("+00:00", "Z")
    assert all(item["waiting_days"] >= 0 and item["open_offer"] is None for item in body["items"])
    assert body["average_waiting_days"] >= 0

    last_page = await placement.client.get(
        f"/v1/workshops/care/waitlist?limit=2&offset={body['next_offset']}", headers=CASEWORKER
    )
    assert [(item["participant_id"], item["position"]) for item in last_page.json()["items"]] == [
        (str(waiting[2].participant_id), 3)
    ]
    assert last_page.json()["next_offset"] is None
    beyond = await placement.client.get("/v1/workshops/care/waitlist?offset=100000", headers=CASEWORKER)
    assert (beyond.json()["items"], beyond.json()["total"], beyond.json()["next_offset"]) == ([], 3, None)
    assert beyond.json()["average_waiting_days"] == body["average_waiting_days"]
    empty = await placement.client.get("/v1/workshops/garden_landscape/waitlist", headers=CASEWORKER)
    assert (empty.json()["items"], empty.json()["total"], empty.json()["average_waiting_days"]) == (
        [],
        0,
        None,
    )
    care = await placement.workshop(WorkArea.CARE)
    assert (care["waitlist_length"], care["average_waiting_days"]) == (3, body["average_waiting_days"])


async def test_readiness_reports_database_kafka_and_background_tasks(placement: PlacementUnderTest) -> None:
    response = await placement.client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "kafka": "ok", "background_tasks": "ok"}
    assert placement.app.state.runtime.supervisor.states["offer-timer"].running
