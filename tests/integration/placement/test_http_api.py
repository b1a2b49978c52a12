"""placement's HTTP API: roles, 404/422 naming the field, and the waitlist's pages."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest, enrolled
from tests.support.tokens import VERIFIER, auth_header
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

SOMEONE = uuid.uuid4()
ENDPOINTS = ["/v1/workshops", f"/v1/participants/{SOMEONE}/placement", "/v1/workshops/care/waitlist"]


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


async def test_the_workshops_show_configured_capacities_with_nobody_placed(
    placement: PlacementUnderTest,
) -> None:
    response = await placement.client.get("/v1/workshops", headers=auth_header("reporting"))
    assert response.status_code == 200
    assert {item["work_area"]: (item["capacity"], item["free_seats"]) for item in response.json()} == {
        "bike_metal": (0, 0),
        "building_services": (14, 14),
        "care": (1, 1),
        "garden_landscape": (14, 14),
    }


async def test_an_unknown_participant_is_404_and_a_malformed_id_422(placement: PlacementUnderTest) -> None:
    response = await placement.client.get(f"/v1/participants/{SOMEONE}/placement", headers=CASEWORKER)
    assert response.status_code == 404
    assert response.json()["error"]["details"][0]["field"] == "participant_id"
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


async def test_the_waitlist_pages_in_fair_order(placement: PlacementUnderTest) -> None:
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

    last_page = await placement.client.get(
        f"/v1/workshops/care/waitlist?limit=2&offset={body['next_offset']}", headers=CASEWORKER
    )
    assert [(item["participant_id"], item["position"]) for item in last_page.json()["items"]] == [
        (str(waiting[2].participant_id), 3)
    ]
    assert last_page.json()["next_offset"] is None
    beyond = await placement.client.get("/v1/workshops/care/waitlist?offset=100000", headers=CASEWORKER)
    assert (beyond.json()["items"], beyond.json()["total"], beyond.json()["next_offset"]) == ([], 3, None)
    empty = await placement.client.get("/v1/workshops/garden_landscape/waitlist", headers=CASEWORKER)
    assert (empty.json()["items"], empty.json()["total"]) == ([], 0)


async def test_readiness_reports_database_kafka_and_background_tasks(placement: PlacementUnderTest) -> None:
    response = await placement.client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json()["checks"] == {"database": "ok", "kafka": "ok", "background_tasks": "ok"}
