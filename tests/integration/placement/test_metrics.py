"""/metrics on a consuming service: who may read it, and that it tells what operators need —
HTTP traffic by route, outbox backlog, consumer outcomes and lag, background tasks."""

from __future__ import annotations

import uuid

import pytest
from pydantic import SecretStr

from placement.app import create_app
from placement.settings import PlacementSettings
from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest, enrolled
from tests.support.metrics import scrape, value
from tests.support.service_app import running_app
from tests.support.tokens import auth_header
from werkstattnetz_shared.events.vocabulary import WorkArea

pytestmark = pytest.mark.integration


async def test_metrics_need_a_monitoring_credential(placement: PlacementUnderTest) -> None:
    client = placement.client
    assert (await client.get("/metrics")).status_code == 401
    assert (await client.get("/metrics", headers={"Authorization": "Bearer nonsense"})).status_code == 401
    assert (await client.get("/metrics", headers=auth_header("caseworker"))).status_code == 403
    for role in ("monitoring", "admin"):
        assert (await client.get("/metrics", headers=auth_header(role))).status_code == 200


async def test_a_scrape_job_may_use_the_static_metrics_token(placement_settings: PlacementSettings) -> None:
    token = uuid.uuid4().hex
    settings = placement_settings.model_copy(update={"metrics_token": SecretStr(token)})
    async with running_app(create_app(settings)) as client:
        assert (await client.get("/metrics", headers={"Authorization": f"Bearer {token}"})).status_code == 200
        wrong = {"Authorization": f"Bearer {token[:-1]}x"}
        assert (await client.get("/metrics", headers=wrong)).status_code == 401


async def test_metrics_count_requests_by_route_and_events_by_outcome(placement: PlacementUnderTest) -> None:
    someone = enrolled(WorkArea.CARE)
    await placement.enrol(someone)
    await placement.wait_for_status(someone.participant_id, "placed")
    await placement.client.get(f"/v1/participants/{uuid.uuid4()}/placement", headers=CASEWORKER)
    await placement.wait_until_consumed()
    await placement.all_published()

    samples = await scrape(placement.client)
    route = "/v1/participants/{participant_id}/placement"
    assert value(samples, "werkstattnetz_http_requests_total", route=route, status="200") >= 1
    assert value(samples, "werkstattnetz_http_requests_total", route=route, status="404") >= 1  # unknown id
    assert value(samples, "werkstattnetz_http_request_duration_seconds_count", route=route) >= 2
    # No raw ids as labels: one series per route template.
    assert not any(str(someone.participant_id) in str(labels) for _, labels in samples)

    group = placement.settings.topic("placement")
    handled = value(
        samples, "werkstattnetz_consumer_events_total", consumer_group=group, event_type="ParticipantEnrolled"
    )
    assert handled == 1
    assert value(samples, "werkstattnetz_consumer_events_total", outcome="dead_lettered") == 0
    assert value(samples, "werkstattnetz_consumer_lag", consumer_group=group) == 0
    assert value(samples, "werkstattnetz_outbox_published_total") == 1
    assert value(samples, "werkstattnetz_outbox_backlog") == 0
    assert value(samples, "werkstattnetz_outbox_oldest_unpublished_age_seconds") == 0
    for task in ("outbox-relay", "consumer", "retention"):
        assert value(samples, "werkstattnetz_background_task_up", task=task) == 1
    assert value(samples, "process_resident_memory_bytes") > 0
