"""The workshop catalogue over HTTP: admins open and change workshops; seats shrink only down to
the occupancy; new seats are offered to those waiting; refusals name the field and the rule."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.placement.conftest import PlacementUnderTest, enrolled
from tests.support.tokens import auth_header
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration

ADMIN = auth_header("admin", subject="ada.admin")
CARE = WorkArea.CARE
GARDEN_WORKSHOP = {
    "work_area": "garden_landscape",
    "name": "Stadtgarten Ost",
    "seats": 8,
    "lead_instructor": "petra.lange",
    "opening_days": [4, 1, 2, 3],
}


async def test_an_admin_opens_a_second_workshop_of_an_area_and_its_seats_go_to_those_waiting(
    placement: PlacementUnderTest,
) -> None:
    seated, waiting = enrolled(CARE), enrolled(CARE)
    for envelope, status in ((seated, "placed"), (waiting, "waitlisted")):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, status)

    opened = await placement.client.post(
        "/v1/workshops", json={"work_area": "care", "name": "Pflege Süd", "seats": 2}, headers=ADMIN
    )
    assert opened.status_code == 201, opened.text
    body = opened.json()
    assert (body["work_area"], body["seats"], body["open_offers"], body["free_seats"]) == ("care", 2, 1, 1)
    assert (body["opening_days"], body["lead_instructor"]) == ([1, 2, 3, 4, 5], None)
    offer = await placement.wait_for_offer(waiting.participant_id)
    assert offer["workshop_id"] == body["workshop_id"]
    listed = (await placement.client.get("/v1/workshops", headers=auth_header("reporting"))).json()
    assert [w["name"] for w in listed if w["work_area"] == "care"] == ["Betreuung und Pflege", "Pflege Süd"]

    garden = await placement.client.post("/v1/workshops", json=GARDEN_WORKSHOP, headers=ADMIN)
    assert garden.status_code == 201, garden.text
    assert (garden.json()["opening_days"], garden.json()["lead_instructor"]) == ([1, 2, 3, 4], "petra.lange")


async def test_a_workshop_name_is_unique(placement: PlacementUnderTest) -> None:
    first = await placement.client.post("/v1/workshops", json=GARDEN_WORKSHOP, headers=ADMIN)
    again = await placement.client.post("/v1/workshops", json=GARDEN_WORKSHOP | {"seats": 3}, headers=ADMIN)
    assert again.status_code == 409
    error = again.json()["error"]
    assert (error["code"], error["conflicting_id"], error["details"][0]["field"]) == (
        "workshop_name_must_be_unique",
        first.json()["workshop_id"],
        "name",
    )
    care = await placement.workshop_id(CARE)
    renamed = await placement.client.patch(
        f"/v1/workshops/{care}", json={"name": "Stadtgarten Ost"}, headers=ADMIN
    )
    assert (renamed.status_code, renamed.json()["error"]["code"]) == (409, "workshop_name_must_be_unique")


async def test_seats_shrink_only_down_to_the_people_placed_plus_the_seats_offers_hold(
    placement: PlacementUnderTest,
) -> None:
    care = await placement.workshop_id(CARE)
    seated, waiting = enrolled(CARE), enrolled(CARE)
    for envelope, status in ((seated, "placed"), (waiting, "waitlisted")):
        await placement.enrol(envelope)
        await placement.wait_for_status(envelope.participant_id, status)
    raised = await placement.client.patch(f"/v1/workshops/{care}", json={"seats": 4}, headers=ADMIN)
    assert (raised.json()["placed"], raised.json()["open_offers"], raised.json()["free_seats"]) == (1, 1, 2)

    too_few = await placement.client.patch(f"/v1/workshops/{care}", json={"seats": 1}, headers=ADMIN)
    assert too_few.status_code == 409
    error = too_few.json()["error"]
    assert (error["code"], error["details"][0]["field"]) == ("seats_must_cover_occupancy", "seats")
    lowered = await placement.client.patch(f"/v1/workshops/{care}", json={"seats": 2}, headers=ADMIN)
    assert lowered.status_code == 200, lowered.text
    assert (lowered.json()["seats"], lowered.json()["occupied"], lowered.json()["free_seats"]) == (2, 2, 0)


async def test_a_change_sets_lead_and_opening_days_and_clears_the_lead_with_null(
    placement: PlacementUnderTest,
) -> None:
    care = await placement.workshop_id(CARE)
    led = await placement.client.patch(
        f"/v1/workshops/{care}", json={"lead_instructor": "jan.berg", "opening_days": [5, 1]}, headers=ADMIN
    )
    assert (led.json()["lead_instructor"], led.json()["opening_days"], led.json()["seats"]) == (
        "jan.berg",
        [1, 5],
        1,
    )
    renamed = await placement.client.patch(
        f"/v1/workshops/{care}", json={"name": "Pflege Nord"}, headers=ADMIN
    )
    assert (renamed.json()["name"], renamed.json()["lead_instructor"]) == ("Pflege Nord", "jan.berg")
    cleared = await placement.client.patch(
        f"/v1/workshops/{care}", json={"lead_instructor": None}, headers=ADMIN
    )
    assert cleared.json()["lead_instructor"] is None
    unknown = await placement.client.patch(f"/v1/workshops/{uuid.uuid4()}", json={"seats": 3}, headers=ADMIN)
    assert (unknown.status_code, unknown.json()["error"]["details"][0]["field"]) == (404, "workshop_id")


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        (GARDEN_WORKSHOP | {"seats": 101}, "seats", "less_than_equal"),
        (GARDEN_WORKSHOP | {"seats": -1}, "seats", "greater_than_equal"),
        (GARDEN_WORKSHOP | {"opening_days": [1, 1]}, "opening_days", "value_error"),
        (GARDEN_WORKSHOP | {"opening_days": [0]}, "opening_days.0", "greater_than_equal"),
        (GARDEN_WORKSHOP | {"opening_days": []}, "opening_days", "too_short"),
        (GARDEN_WORKSHOP | {"work_area": "kitchen"}, "work_area", "enum"),
        (GARDEN_WORKSHOP | {"name": "  "}, "name", "string_too_short"),
        (GARDEN_WORKSHOP | {"lead_instructor": "Petra Lange"}, "lead_instructor", "string_pattern_mismatch"),
        (GARDEN_WORKSHOP | {"rooms": 2}, "rooms", "extra_forbidden"),
    ],
)
async def test_a_bad_workshop_is_refused_naming_field_and_rule(
    placement: PlacementUnderTest, body: dict[str, object], field: str, rule: str
) -> None:
    response = await placement.client.post("/v1/workshops", json=body, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert (field, rule) in {(d["field"], d["rule"]) for d in response.json()["error"]["details"]}


async def test_the_work_area_of_a_workshop_does_not_change(placement: PlacementUnderTest) -> None:
    care = await placement.workshop_id(CARE)
    moved = await placement.client.patch(
        f"/v1/workshops/{care}", json={"work_area": "bike_metal"}, headers=ADMIN
    )
    assert moved.status_code == 422
    assert moved.json()["error"]["details"][0]["rule"] == "extra_forbidden"
