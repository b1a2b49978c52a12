"""The lists staff work from, through intake's API: filters (status, source, funder, caseworker,
dates, a name search that folds spellings), sorting, and keyset pagination that neither repeats
nor skips a row — also when rows arrive between two pages."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import (
    CASEWORKER,
    MANAGER,
    consent,
    enrol,
    interview,
    refer,
)
from tests.support.service_app import eventually

pytestmark = pytest.mark.integration

CO_FUNDED_CITY = [
    {"funder": "city", "legal_basis": "city", "share_percent": 60},
    {"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 40},
]
YOUTH_OFFICE = [{"funder": "youth_office", "legal_basis": "sgb8_13_youth_social_work", "share_percent": 100}]


async def refer_on(intake: IntakeUnderTest, days_ago: int, **overrides: Any) -> dict[str, Any]:
    received_on = intake.today - dt.timedelta(days=days_ago)
    return await refer(intake.client, headers=MANAGER, received_on=received_on.isoformat(), **overrides)


async def enrol_on(
    intake: IntakeUnderTest, received: dict[str, Any], days_ago: int, **overrides: Any
) -> dict[str, Any]:
    await interview(intake.client, received["referral_id"], headers=MANAGER)
    await consent(intake.client, received["participant_id"], headers=MANAGER)
    response = await enrol(
        intake.client,
        received["referral_id"],
        enrolled_on=intake.today - dt.timedelta(days=days_ago),
        headers=MANAGER,
        **overrides,
    )
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def listed(
    intake: IntakeUnderTest, path: str, headers: dict[str, str] = MANAGER, **params: Any
) -> list[dict[str, Any]]:
    response = await intake.client.get(path, params=params | {"limit": 200}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def letters(number: int) -> str:
    """A name part for `number`: names compare by their letters only (Person1 is Person2)."""
    return "".join("abcdefghij"[int(digit)] for digit in f"{number:02}")


def last_names(items: list[dict[str, Any]]) -> list[str]:
    return [item["person"]["last_name"] for item in items]


@pytest.fixture
async def referred(intake: IntakeUnderTest) -> dict[str, dict[str, Any]]:
    """Referrals of people with folded spellings, from several sources, some enrolled or decided."""
    made = {
        "Müller": await refer_on(
            intake, 40, first_name="Lena", last_name="Müller", referral_source="jobcenter"
        ),
        "Strauß": await refer_on(
            intake, 30, first_name="Jonas", last_name="Strauß", referral_source="school"
        ),
        "García": await refer_on(
            intake, 20, first_name="José", last_name="García", referral_source="youth_office"
        ),
        "Weber": await refer_on(
            intake, 10, first_name="Anna-Lena", last_name="Weber", referral_source="self"
        ),
        "Schmidt": await refer_on(intake, 5, first_name="Tim", last_name="Schmidt", referral_source="school"),
        "Krause": await refer_on(
            intake, 0, first_name="Mia", last_name="Krause", referral_source="counselling"
        ),
    }
    await enrol_on(intake, made["Müller"], 35, funding=CO_FUNDED_CITY, caseworker="cara.caseworker")
    await enrol_on(intake, made["Strauß"], 25, funding=YOUTH_OFFICE, caseworker="otto.caseworker")
    await enrol_on(intake, made["García"], 15, caseworker="cara.caseworker")
    rejected = await intake.client.post(
        f"/v1/referrals/{made['Weber']['referral_id']}/reject", json={"reason": "other"}, headers=MANAGER
    )
    assert rejected.status_code == 200
    return made


async def test_referrals_are_filtered_by_status_source_funder_caseworker_and_date(
    intake: IntakeUnderTest, referred: dict[str, dict[str, Any]]
) -> None:
    path = "/v1/referrals"
    newest_first = ["Krause", "Schmidt", "Weber", "García", "Strauß", "Müller"]
    assert last_names(await listed(intake, path)) == newest_first
    assert last_names(await listed(intake, path, status="enrolled")) == ["García", "Strauß", "Müller"]
    assert last_names(await listed(intake, path, status="rejected")) == ["Weber"]
    assert last_names(await listed(intake, path, status="received")) == ["Krause", "Schmidt"]
    assert last_names(await listed(intake, path, referral_source="school")) == ["Schmidt", "Strauß"]
    assert last_names(await listed(intake, path, funder="city")) == ["Müller"]  # the larger share
    assert last_names(await listed(intake, path, funder="jobcenter")) == ["García"]
    assert last_names(await listed(intake, path, caseworker="cara.caseworker")) == ["García", "Müller"]
    window: dict[str, Any] = {
        "received_from": (intake.today - dt.timedelta(days=30)).isoformat(),
        "received_to": (intake.today - dt.timedelta(days=10)).isoformat(),
    }
    assert last_names(await listed(intake, path, **window)) == ["Weber", "García", "Strauß"]
    assert last_names(await listed(intake, path, **window, referral_source="school")) == ["Strauß"]
    enrolled = (await listed(intake, path, status="enrolled"))[0]
    assert (enrolled["main_funder"], enrolled["enrolled_on"]) == (
        "jobcenter",
        (intake.today - dt.timedelta(days=15)).isoformat(),
    )


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("Müller", ["Müller"]),
        ("mueller", ["Müller"]),
        ("MÜLL", ["Müller"]),
        ("Lena Mül", ["Müller"]),
        ("strauss", ["Strauß"]),
        ("STRAUß", ["Strauß"]),
        ("jose", ["García"]),
        ("Garcia", ["García"]),
        ("anna lena", ["Weber"]),
        ("Anna-Lena", ["Weber"]),
        ("Nobody", []),
    ],
)
async def test_the_name_search_folds_spellings(
    intake: IntakeUnderTest, referred: dict[str, dict[str, Any]], search: str, found: list[str]
) -> None:
    assert last_names(await listed(intake, "/v1/referrals", name=search)) == found


async def test_participants_are_filtered_by_activity_funder_caseworker_date_and_name(
    intake: IntakeUnderTest, referred: dict[str, dict[str, Any]]
) -> None:
    path = "/v1/participants"
    assert last_names(await listed(intake, path)) == ["García", "Strauß", "Müller"]  # newest enrolment first
    await intake.publish_exit(referred["Strauß"]["participant_id"], intake.today)

    async def exit_heard() -> bool:
        return bool(await intake.value("SELECT count(*) FROM referrals WHERE enrolment_ended_on IS NOT NULL"))

    await eventually(exit_heard, what="intake hearing of the exit")
    assert last_names(await listed(intake, path, active="true")) == ["García", "Müller"]
    assert last_names(await listed(intake, path, active="false")) == ["Strauß"]
    assert (await listed(intake, path, active="false"))[0]["ended_on"] == intake.today.isoformat()
    assert last_names(await listed(intake, path, funder="youth_office")) == ["Strauß"]
    assert last_names(await listed(intake, path, caseworker="cara.caseworker")) == ["García", "Müller"]
    window: dict[str, Any] = {
        "enrolled_from": (intake.today - dt.timedelta(days=30)).isoformat(),
        "enrolled_to": (intake.today - dt.timedelta(days=15)).isoformat(),
    }
    assert last_names(await listed(intake, path, **window)) == ["García", "Strauß"]
    assert last_names(await listed(intake, path, name="strauss")) == ["Strauß"]
    assert last_names(await listed(intake, path, sort="last_name", order="asc")) == [
        "García",
        "Müller",
        "Strauß",
    ]
    # A caseworker's list holds their caseload only, whatever the filters ask for.
    assert last_names(await listed(intake, path, headers=CASEWORKER)) == ["García", "Müller"]
    assert last_names(await listed(intake, path, headers=CASEWORKER, caseworker="otto.caseworker")) == []


async def test_referrals_sort_by_date_or_last_name_either_way(
    intake: IntakeUnderTest, referred: dict[str, dict[str, Any]]
) -> None:
    path = "/v1/referrals"
    by_date = ["Müller", "Strauß", "García", "Weber", "Schmidt", "Krause"]
    assert last_names(await listed(intake, path, sort="date", order="asc")) == by_date
    assert last_names(await listed(intake, path, sort="date", order="desc")) == by_date[::-1]
    by_name = ["García", "Krause", "Müller", "Schmidt", "Strauß", "Weber"]
    assert last_names(await listed(intake, path, sort="last_name", order="asc")) == by_name
    assert last_names(await listed(intake, path, sort="last_name", order="desc")) == by_name[::-1]


async def pages(
    intake: IntakeUnderTest, params: dict[str, Any], between_pages: Any = None
) -> list[list[str]]:
    """Every page's referral ids, following `next_cursor`; `between_pages()` runs after the first."""
    found: list[list[str]] = []
    cursor = None
    for _ in range(50):
        response = await intake.client.get(
            "/v1/referrals", params=params | ({"cursor": cursor} if cursor else {}), headers=MANAGER
        )
        assert response.status_code == 200, response.text
        found.append([item["referral_id"] for item in response.json()["items"]])
        cursor = response.json()["next_cursor"]
        if len(found) == 1 and between_pages is not None:
            await between_pages()
        if cursor is None:
            return found
    raise AssertionError("the pages never ended")


@pytest.mark.parametrize("sort", ["date", "last_name"])
@pytest.mark.parametrize("order", ["desc", "asc"])
async def test_pages_hold_every_row_once_in_order(intake: IntakeUnderTest, sort: str, order: str) -> None:
    # Three people a day, three people per last name: the order needs its tie-breaker.
    for number in range(14):
        await refer_on(
            intake, number // 3, first_name=f"Person{letters(number)}", last_name=f"Name{letters(number % 5)}"
        )
    everything = [
        item["referral_id"] for item in await listed(intake, "/v1/referrals", sort=sort, order=order)
    ]
    assert len(everything) == 14

    found = await pages(intake, {"sort": sort, "order": order, "limit": 4})

    assert [len(page) for page in found] == [4, 4, 4, 2]
    assert [referral_id for page in found for referral_id in page] == everything


async def test_a_full_last_page_is_the_last(intake: IntakeUnderTest) -> None:
    for number in range(6):
        await refer_on(intake, number, first_name=f"Person{letters(number)}")
    assert [len(page) for page in await pages(intake, {"limit": 3})] == [3, 3]
    assert [len(page) for page in await pages(intake, {"limit": 6})] == [6]


async def test_rows_added_between_pages_neither_repeat_nor_push_out_others(intake: IntakeUnderTest) -> None:
    for number in range(10):
        await refer_on(intake, 10 + number, first_name=f"Person{letters(number)}")
    before = {item["referral_id"] for item in await listed(intake, "/v1/referrals")}
    added: dict[str, str] = {}

    async def new_referrals() -> None:
        newest = await refer_on(intake, 0, first_name="Newest")  # before the cursor: on no later page
        oldest = await refer_on(intake, 40, first_name="Oldest")  # after the cursor: on a later page
        added.update(newest=newest["referral_id"], oldest=oldest["referral_id"])

    found = await pages(intake, {"limit": 3}, between_pages=new_referrals)

    seen = [referral_id for page in found for referral_id in page]
    assert len(seen) == len(set(seen))
    assert set(seen) == before | {added["oldest"]}
    assert seen[-1] == added["oldest"]


@pytest.mark.parametrize(
    ("cursor", "sort"),
    [
        ("bm90LWEtY3Vyc29y", "date"),  # base64 of "not-a-cursor"
        ("abc", "date"),
        (
            base64.urlsafe_b64encode(json.dumps(["date", "yesterday", "x"]).encode()).decode().rstrip("="),
            "date",
        ),
        (
            base64.urlsafe_b64encode(
                json.dumps(["date", "2026-11-01", "6f1c9c8e-0c47-4a8e-9d1a-3c7f2b1d0e55"]).encode()
            )
            .decode()
            .rstrip("="),
            "last_name",
        ),
    ],
)
async def test_a_cursor_this_list_did_not_hand_out_is_refused(
    intake: IntakeUnderTest, cursor: str, sort: str
) -> None:
    await refer(intake.client)
    for path in ("/v1/referrals", "/v1/participants"):
        response = await intake.client.get(path, params={"cursor": cursor, "sort": sort}, headers=MANAGER)
        assert response.status_code == 422, response.text
        assert [(d["field"], d["rule"]) for d in response.json()["error"]["details"]] == [
            ("cursor", "cursor_from_this_list")
        ]


async def test_a_cursor_with_characters_no_cursor_has_is_refused(intake: IntakeUnderTest) -> None:
    response = await intake.client.get("/v1/referrals", params={"cursor": "a+b/c="}, headers=MANAGER)
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["query.cursor"]
