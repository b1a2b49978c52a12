"""intake's HTTP edge against real PostgreSQL: bad input is a 422 (never a 500 from the database),
an unhandled error a 500 in the error shape, an unreachable database a 503 with `Retry-After`.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from intake.application.unit_of_work import IntakeUnitOfWork
from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import (
    INTAKE_STAFF,
    MANAGER,
    consent,
    enrol,
    interview,
    refer,
    referral_body,
)
from tests.support.tcp_proxy import TcpProxy
from werkstattnetz_shared.web.edge import SECURITY_HEADERS

pytestmark = pytest.mark.integration


def today_in_berlin() -> dt.date:
    return dt.datetime.now(ZoneInfo("Europe/Berlin")).date()


async def stored_referrals(intake: IntakeUnderTest) -> int:
    connection = await asyncpg.connect(intake.settings.database_url)
    try:
        return int(await connection.fetchval("SELECT count(*) FROM referrals"))
    finally:
        await connection.close()


@pytest.mark.parametrize(
    ("overrides", "field", "rule"),
    [
        ({"first_name": "Mi\x00a"}, "first_name", "no_nul_character"),
        ({"email": "mia\x00@example.org"}, "email", "no_nul_character"),
        ({"phone": "+49 341\x00"}, "phone", "no_nul_character"),
        ({"preferred_work_areas": ["care\x00"]}, "preferred_work_areas", "no_nul_character"),
        ({"last_name": "Krau\u200bse"}, "last_name", "no_control_characters"),
        ({"first_name": "Mia\x1b[2J"}, "first_name", "no_control_characters"),
        ({"email": "mia\u202e@example.org"}, "email", "no_control_characters"),
        ({"birth_date": 0}, "birth_date", "date_written_as_yyyy_mm_dd"),
        ({"birth_date": "2005-06-15T00:00:00"}, "birth_date", "date_written_as_yyyy_mm_dd"),
        ({"birth_date": "0001-01-01"}, "birth_date", "birth_date_within_plausible_range"),
        ({"birth_date": "1899-12-31"}, "birth_date", "birth_date_within_plausible_range"),
        ({"received_on": "2005-06-15T00:00:00"}, "received_on", "date_written_as_yyyy_mm_dd"),
        ({"received_on": "1989-12-31"}, "received_on", "date_within_plausible_range"),
    ],
)
async def test_unstorable_or_implausible_referrals_are_422_naming_field_and_rule(
    intake: IntakeUnderTest, overrides: dict[str, Any], field: str, rule: str
) -> None:
    response = await intake.client.post(
        "/v1/referrals", json=referral_body(**overrides), headers=INTAKE_STAFF
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"] == [
        {"field": field, "rule": rule, "message": response.json()["error"]["details"][0]["message"]}
    ]
    assert response.headers["X-Correlation-ID"]
    assert await stored_referrals(intake) == 0


async def test_an_unpaired_surrogate_escaped_in_the_json_is_refused_too(intake: IntakeUnderTest) -> None:
    # Python's JSON parser turns "\\ud800" into a str that cannot be encoded as UTF-8 for the database.
    body = json.dumps(referral_body(last_name="Krause")).replace("Krause", "Krau\\ud800se")
    response = await intake.client.post(
        "/v1/referrals", content=body, headers=INTAKE_STAFF | {"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == ("last_name", "no_unpaired_surrogate")
    assert await stored_referrals(intake) == 0


async def test_a_name_in_any_script_is_stored_as_given(intake: IntakeUnderTest) -> None:
    received = await refer(intake.client, first_name="Fa\u200cride", last_name="Ðặng")
    view = await intake.client.get(f"/v1/participants/{received['participant_id']}", headers=INTAKE_STAFF)
    assert (view.json()["first_name"], view.json()["last_name"]) == ("Fa\u200cride", "Ðặng")


@pytest.mark.parametrize("answer", ["yes", 1, "true", None])
async def test_interview_findings_are_json_booleans_or_refused(
    intake: IntakeUnderTest, answer: object
) -> None:
    received = await refer(intake.client)
    response = await intake.client.post(
        f"/v1/referrals/{received['referral_id']}/interview",
        json={"has_completed_vocational_training": False, "is_employed": answer},
        headers=INTAKE_STAFF,
    )
    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == ("is_employed", "bool_type")
    still = await intake.client.get(f"/v1/referrals/{received['referral_id']}", headers=INTAKE_STAFF)
    assert (still.json()["status"], still.json()["interview"]) == ("received", None)


@pytest.mark.parametrize(
    ("enrolled_on", "rule"),
    [
        (lambda: today_in_berlin() + dt.timedelta(days=1), "date_not_in_future"),
        (lambda: dt.date(2034, 1, 2), "date_not_in_future"),
        (lambda: today_in_berlin() - dt.timedelta(days=1), "date_not_before_referral"),
        (lambda: dt.date(2020, 1, 6), "date_not_before_referral"),
        (lambda: dt.date(1, 1, 1), "date_within_plausible_range"),
    ],
    ids=["tomorrow", "2034", "yesterday", "backdated-2020", "year-1"],
)
async def test_the_enrolment_day_lies_between_the_referral_day_and_today(
    intake: IntakeUnderTest, enrolled_on: Any, rule: str
) -> None:
    received = await refer(intake.client)
    await interview(intake.client, received["referral_id"])
    await consent(intake.client, received["participant_id"])
    response = await enrol(intake.client, received["referral_id"], enrolled_on=enrolled_on())
    assert response.status_code == 422, response.text
    [detail] = response.json()["error"]["details"]
    assert (detail["field"], detail["rule"]) == ("enrolled_on", rule)
    listed = await intake.client.get("/v1/referrals", params={"status": "interviewed"}, headers=INTAKE_STAFF)
    assert [item["referral_id"] for item in listed.json()["items"]] == [received["referral_id"]]


async def test_an_enrolment_today_is_recorded_with_that_day(intake: IntakeUnderTest) -> None:
    received = await refer(intake.client)
    await interview(intake.client, received["referral_id"])
    await consent(intake.client, received["participant_id"])
    today = today_in_berlin()
    enrolled = await enrol(intake.client, received["referral_id"], enrolled_on=today)
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["enrolment"]["enrolled_on"] == today.isoformat()
    view = await intake.client.get(f"/v1/referrals/{received['referral_id']}", headers=MANAGER)
    assert view.json()["enrolment"]["enrolled_on"] == today.isoformat()


async def test_an_unhandled_error_is_a_500_in_the_error_shape_with_the_correlation_id(
    intake: IntakeUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_unit_of_work() -> IntakeUnitOfWork:
        raise RuntimeError("bug with secret detail: token=abc123")

    intake.app.state.unit_of_work = broken_unit_of_work
    correlation_id = str(uuid.uuid4())
    response = await intake.client.post(
        "/v1/referrals", json=referral_body(), headers=INTAKE_STAFF | {"X-Correlation-ID": correlation_id}
    )
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.headers["X-Correlation-ID"] == correlation_id
    error = response.json()["error"]
    assert (error["code"], error["details"]) == ("internal_error", [])
    assert correlation_id in error["message"]
    assert "abc123" not in response.text
    assert any("abc123" in record.exc_text for record in caplog.records if record.exc_text), caplog.text


async def test_an_unreachable_database_is_a_503_with_retry_after_and_recovers(
    intake: IntakeUnderTest,
) -> None:
    """The routes' pool goes through a proxy to the real PostgreSQL; cutting it is the outage."""
    address = urlsplit(intake.settings.database_url)
    assert address.hostname is not None
    assert address.port is not None
    proxy = TcpProxy(address.hostname, address.port)
    await proxy.start()
    credentials = address.netloc.rsplit("@", 1)[0]
    proxied_url = urlunsplit(address._replace(netloc=f"{credentials}@127.0.0.1:{proxy.port}"))
    pool = await asyncpg.create_pool(proxied_url, min_size=1, max_size=2)
    try:
        intake.app.state.unit_of_work = lambda: IntakeUnitOfWork(pool, intake.settings)
        await refer(intake.client)  # through the proxy: the pool works

        await proxy.cut()
        for attempt in range(3):  # a pooled connection that died, then new connections refused
            response = await intake.client.post("/v1/referrals", json=referral_body(), headers=INTAKE_STAFF)
            assert response.status_code == 503, (attempt, response.text)
            assert response.headers["Retry-After"] == "5"
            assert response.headers["X-Correlation-ID"]
            assert response.json()["error"] == {
                "code": "service_unavailable",
                "message": response.json()["error"]["message"],
                "details": [],
            }
            assert "127.0.0.1" not in response.text
            assert str(proxy.port) not in response.text

        await proxy.start()
        # The database is back: so is the API, without a restart (another person: Mia is known).
        await refer(intake.client, first_name="Lena")
    finally:
        await proxy.cut()
        pool.terminate()
    assert await stored_referrals(intake) == 2


async def test_answers_carry_security_headers_and_v1_answers_are_not_cached(intake: IntakeUnderTest) -> None:
    created = await intake.client.post("/v1/referrals", json=referral_body(), headers=INTAKE_STAFF)
    refused = await intake.client.post(
        "/v1/referrals", json=referral_body(first_name="\x00"), headers=INTAKE_STAFF
    )
    health = await intake.client.get("/health/live")
    for response in (created, refused, health):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
    assert created.headers["Cache-Control"] == refused.headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in health.headers
