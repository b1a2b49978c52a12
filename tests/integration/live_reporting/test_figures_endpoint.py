"""GET /v1/live/figures: the services' JWT rules (401/403), filters, CSV, and 503 before recovery."""

from __future__ import annotations

import csv
import datetime as dt
import io

import httpx
import pytest

from outcomes_live.domain.facts import Fact, FactKind, ParticipantFacts
from outcomes_live.domain.figures import LiveFigures
from outcomes_live.domain.worker_state import WorkerState
from outcomes_live.entrypoints.http_app import create_http_app
from outcomes_live.settings import LiveReportingSettings
from tests.support.tokens import VERIFIER, auth_header

AT = dt.datetime(2025, 3, 1, 8, tzinfo=dt.UTC)


def fact(kind: FactKind, day: dt.date, **facts: object) -> Fact:
    return Fact(event_id=f"{kind}-{day}", kind=kind, at=AT, day=day, **facts)  # type: ignore[arg-type]


def one_integrated_exit() -> ParticipantFacts:
    facts = ParticipantFacts()
    for each in (
        fact(
            FactKind.ENROLMENT, dt.date(2025, 1, 6), stay_key="e1", work_area="care", funders=("jobcenter",)
        ),
        fact(FactKind.PLACED, dt.date(2025, 1, 16), work_area="care"),
        fact(FactKind.EXIT, dt.date(2025, 6, 30), destination="therapy", integrated=True),
    ):
        facts = facts.with_fact(each)
    return facts


@pytest.fixture
def client_and_state() -> tuple[httpx.AsyncClient, WorkerState]:
    figures, state = LiveFigures(), WorkerState(recovered=True)
    figures.rebuild([one_integrated_exit()])
    app = create_http_app(LiveReportingSettings(environment="test"), figures, state)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://live"), state


async def test_figures_need_a_valid_token_with_the_reporting_role(
    client_and_state: tuple[httpx.AsyncClient, WorkerState],
) -> None:
    client, _ = client_and_state
    async with client:
        missing = await client.get("/v1/live/figures")
        forged = await client.get("/v1/live/figures", headers={"Authorization": "Bearer not.a.token"})
        expired = await client.get(
            "/v1/live/figures",
            headers={"Authorization": f"Bearer {VERIFIER.issue('x', ['reporting'], ttl_s=-60)}"},
        )
        caseworker = await client.get("/v1/live/figures", headers=auth_header("caseworker", "manager"))
        reporting = await client.get("/v1/live/figures", headers=auth_header("reporting"))
        admin = await client.get("/v1/live/figures", headers=auth_header("admin"))
        health = await client.get("/health/live")
    for refused in (missing, forged, expired):
        assert refused.status_code == 401
        assert refused.headers["WWW-Authenticate"] == "Bearer"
        assert refused.json()["error"]["code"] == "unauthenticated"
    assert caseworker.status_code == 403
    assert caseworker.json()["error"]["code"] == "forbidden"
    assert (reporting.status_code, admin.status_code, health.status_code) == (200, 200, 200)


async def test_figures_as_json_with_filters(client_and_state: tuple[httpx.AsyncClient, WorkerState]) -> None:
    client, _ = client_and_state
    async with client:
        everything = (await client.get("/v1/live/figures", headers=auth_header("reporting"))).json()
        city = (await client.get("/v1/live/figures?funder=city", headers=auth_header("reporting"))).json()
        bad_year = await client.get("/v1/live/figures?year=1800", headers=auth_header("reporting"))
    total = everything["total"]
    assert (total["enrolled"], total["placed"], total["exited"], total["integrated"]) == (1, 1, 1, 1)
    assert (total["integration_rate"], total["jobcenter_integration_rate"]) == (1.0, 0.0)  # therapy
    assert (total["average_waiting_days"], total["average_days_to_exit"]) == (10.0, 175.0)
    assert everything["by_year"]["2025"]["exited"] == 1
    assert everything["by_work_area"]["care"]["exited"] == 1
    assert everything["by_funder"]["jobcenter"]["enrolled"] == 1
    assert city["total"]["enrolled"] == 0
    assert city["total"]["referred"] is None  # referrals name no funder
    assert bad_year.status_code == 422
    assert bad_year.json()["error"]["details"][0]["field"] == "query.year"


async def test_figures_as_csv(client_and_state: tuple[httpx.AsyncClient, WorkerState]) -> None:
    client, _ = client_and_state
    async with client:
        response = await client.get(
            "/v1/live/figures?work_area=care", headers={**auth_header("reporting"), "Accept": "text/csv"}
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    total = rows[0]
    assert (total["dimension"], total["enrolled"], total["exited"], total["integration_rate"]) == (
        "total",
        "1",
        "1",
        "1.0",
    )
    assert total["retention_rate"] == ""  # nothing to divide
    assert [row["value"] for row in rows if row["dimension"] == "work_area"] == ["care"]
    assert {row["value"] for row in rows if row["dimension"] == "funder"} == {
        "jobcenter",
        "youth_office",
        "city",
        "other",
    }


async def test_figures_wait_for_the_tables_to_be_recovered(
    client_and_state: tuple[httpx.AsyncClient, WorkerState],
) -> None:
    client, state = client_and_state
    state.recovered = False
    async with client:
        figures = await client.get("/v1/live/figures", headers=auth_header("reporting"))
        ready = await client.get("/health/ready")
    assert figures.status_code == 503
    assert figures.headers["Retry-After"] == "5"
    assert figures.json()["error"]["code"] == "service_unavailable"
    assert ready.status_code == 503
