"""What the shared HTTP edge promises, checked on every service's real app (built, not started).

The OpenAPI documents each status a route answers in the real error shape and never FastAPI's
`HTTPValidationError`; every integer query parameter is bounded; every request body inherits the
shared `RequestModel`; `/docs` loads nothing from outside the service.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from intake.app import create_app as create_intake
from intake.settings import IntakeSettings
from notifications.app import create_app as create_notifications
from notifications.settings import NotificationsSettings
from outcomes.app import create_app as create_outcomes
from outcomes.settings import OutcomesSettings
from placement.app import create_app as create_placement
from placement.settings import PlacementSettings
from werkstattnetz_shared.web.request_models import RequestModel

NO_DATABASE = "postgresql://u:p@127.0.0.1:1/none"  # never connected: the lifespan does not run
ERROR_SHAPE = {"$ref": "#/components/schemas/ErrorResponse"}

SERVICES: dict[str, Callable[[], FastAPI]] = {
    "intake": lambda: create_intake(IntakeSettings(database_url=NO_DATABASE)),
    "placement": lambda: create_placement(PlacementSettings(database_url=NO_DATABASE)),
    "outcomes": lambda: create_outcomes(OutcomesSettings(database_url=NO_DATABASE)),
    "notifications": lambda: create_notifications(NotificationsSettings(database_url=NO_DATABASE)),
}

# What each route really answers besides its success, by reading the routes and their use cases.
EXPECTED_ERRORS = {
    # 409 on every creating POST: an Idempotency-Key reused for a different request. 404 wherever an
    # id names a person or referral (also one out of the caller's sight: it does not exist for them).
    # 422 on every route with an id in the path (not a UUID) or an Idempotency-Key (malformed).
    # 404: `same_person_as` names nobody; 409: the same person known, an open referral, still enrolled.
    ("intake", "POST", "/v1/referrals"): {401, 403, 404, 409, 422, 503},
    ("intake", "GET", "/v1/referrals"): {401, 403, 422, 503},  # 422 also: a cursor not from this list
    ("intake", "GET", "/v1/referrals/{referral_id}"): {401, 403, 404, 422, 503},
    # 409: the referral's state forbids it; 422 also: a date after today or before the referral.
    ("intake", "POST", "/v1/referrals/{referral_id}/interview"): {401, 403, 404, 409, 422, 503},
    ("intake", "POST", "/v1/referrals/{referral_id}/reject"): {401, 403, 404, 409, 422, 503},
    ("intake", "POST", "/v1/referrals/{referral_id}/withdraw"): {401, 403, 404, 409, 422, 503},
    # 422 also: eligibility and funding rules, naming every rule that failed.
    ("intake", "POST", "/v1/referrals/{referral_id}/enrol"): {401, 403, 404, 409, 422, 503},
    ("intake", "GET", "/v1/people/same-person"): {401, 403, 422, 503},
    ("intake", "GET", "/v1/participants"): {401, 403, 422, 503},
    # 410: the person's data was erased.
    ("intake", "GET", "/v1/participants/{participant_id}"): {401, 403, 404, 410, 422, 503},
    # 409: the person's data was erased; 422 also: a guardian's consent without the guardian's name.
    ("intake", "POST", "/v1/participants/{participant_id}/consents"): {401, 403, 404, 409, 422, 503},
    # 409: withdrawn already.
    ("intake", "POST", "/v1/participants/{participant_id}/consents/{consent_id}/withdraw"): {
        401,
        403,
        404,
        409,
        422,
        503,
    },
    # 409: the person's data was erased (PUT takes no Idempotency-Key: it is idempotent by itself).
    ("intake", "PUT", "/v1/participants/{participant_id}/caseworker"): {401, 403, 404, 409, 422, 503},
    # 409: erased already.
    ("intake", "POST", "/v1/participants/{participant_id}/erasure"): {401, 403, 404, 409, 422, 503},
    ("intake", "GET", "/v1/audit-log"): {401, 403, 422, 503},
    # Admins only. 409: the same file imported before; 422 also: any refused row, a body not UTF-8
    # CSV or over 20 MiB.
    ("intake", "POST", "/v1/imports/history"): {401, 403, 409, 422, 503},
    ("placement", "GET", "/v1/workshops"): {401, 403, 503},
    ("placement", "GET", "/v1/participants/{participant_id}/placement"): {401, 403, 404, 422, 503},
    ("placement", "GET", "/v1/workshops/{work_area}/waitlist"): {401, 403, 422, 503},
    ("placement", "GET", "/v1/workshops/{workshop_id}"): {401, 403, 404, 422, 503},
    # 409: the name is taken (or an Idempotency-Key reused); 403 for everyone but admins.
    ("placement", "POST", "/v1/workshops"): {401, 403, 409, 422, 503},
    # 409: name taken, or seats below the people placed plus the seats held by open offers.
    ("placement", "PATCH", "/v1/workshops/{workshop_id}"): {401, 403, 404, 409, 422, 503},
    # 404: unknown participant or workshop; 409: no free seat no offer holds, placed already (or
    # not placed, for a transfer and an end), stay ended, an open offer to answer first; 422 also:
    # a transfer into the same workshop, an end dated before the placement or after today.
    ("placement", "POST", "/v1/participants/{participant_id}/placement"): {401, 403, 404, 409, 422, 503},
    ("placement", "POST", "/v1/participants/{participant_id}/transfer"): {401, 403, 404, 409, 422, 503},
    ("placement", "POST", "/v1/participants/{participant_id}/placement/end"): {401, 403, 404, 409, 422, 503},
    # 409: the stay has ended; 422 also: urgent without a reason, or a reason without urgency.
    ("placement", "PUT", "/v1/participants/{participant_id}/priority"): {401, 403, 404, 409, 422, 503},
    ("placement", "GET", "/v1/offers"): {401, 403, 422, 503},
    ("placement", "GET", "/v1/offers/{offer_id}"): {401, 403, 404, 422, 503},
    # 409: the offer was answered already, or has expired.
    ("placement", "POST", "/v1/offers/{offer_id}/accept"): {401, 403, 404, 409, 422, 503},
    ("placement", "POST", "/v1/offers/{offer_id}/decline"): {401, 403, 404, 409, 422, 503},
    # Attendance: 404 unknown workshop; 403 also a lead of another workshop; 409 the participant's day
    # is kept by another workshop (PUT takes no Idempotency-Key: a whole day is idempotent by itself).
    ("placement", "PUT", "/v1/workshops/{workshop_id}/attendance/{day}"): {401, 403, 404, 409, 422, 503},
    ("placement", "GET", "/v1/workshops/{workshop_id}/attendance/{day}"): {401, 403, 404, 422, 503},
    ("placement", "GET", "/v1/workshops/{workshop_id}/attendance/{day}/history"): {401, 403, 404, 422, 503},
    ("placement", "GET", "/v1/reports/absences"): {401, 403, 422, 503},
    ("outcomes", "POST", "/v1/participants/{participant_id}/exit"): {401, 403, 404, 409, 422, 503},
    ("outcomes", "GET", "/v1/participants/{participant_id}/outcome"): {401, 403, 404, 422, 503},
    ("outcomes", "GET", "/v1/reports/integration"): {401, 403, 422, 503},
    # Six-month follow-ups. 409: not due yet, or recorded already; 422 also: a recorded_on before it
    # fell due or after today.
    ("outcomes", "GET", "/v1/follow-ups"): {401, 403, 422, 503},
    ("outcomes", "GET", "/v1/follow-ups/{follow_up_id}"): {401, 403, 404, 422, 503},
    ("outcomes", "POST", "/v1/follow-ups/{follow_up_id}/record"): {401, 403, 404, 409, 422, 503},
    # Case work. 404: unknown participant, stay, goal or milestone; 409: the stay ended, the person's
    # data was erased (no new text), a milestone for a closed goal, a second entry or exit assessment.
    ("outcomes", "GET", "/v1/participants/{participant_id}/plan"): {401, 403, 404, 422, 503},
    ("outcomes", "POST", "/v1/participants/{participant_id}/plan/goals"): {401, 403, 404, 409, 422, 503},
    ("outcomes", "PATCH", "/v1/participants/{participant_id}/plan/goals/{goal_id}"): {
        401,
        403,
        404,
        409,
        422,
        503,
    },
    ("outcomes", "POST", "/v1/participants/{participant_id}/plan/goals/{goal_id}/milestones"): {
        401,
        403,
        404,
        409,
        422,
        503,
    },
    (
        "outcomes",
        "PATCH",
        "/v1/participants/{participant_id}/plan/goals/{goal_id}/milestones/{milestone_id}",
    ): {
        401,
        403,
        404,
        409,
        422,
        503,
    },
    ("outcomes", "POST", "/v1/participants/{participant_id}/plan/notes"): {401, 403, 404, 409, 422, 503},
    ("outcomes", "GET", "/v1/participants/{participant_id}/plan/notes"): {401, 403, 404, 422, 503},
    ("outcomes", "POST", "/v1/participants/{participant_id}/assessments"): {401, 403, 404, 409, 422, 503},
    ("outcomes", "GET", "/v1/participants/{participant_id}/assessments"): {401, 403, 404, 422, 503},
    ("outcomes", "GET", "/v1/participants/{participant_id}/competence-progress"): {401, 403, 404, 422, 503},
    ("notifications", "GET", "/v1/deliveries"): {401, 403, 422, 503},
    # 409: only a failed delivery is retried; 404: no such delivery.
    ("notifications", "POST", "/v1/deliveries/{delivery_id}/retry"): {401, 403, 404, 409, 422, 503},
    # 404: the caller is not in the staff directory yet.
    ("notifications", "GET", "/v1/me"): {401, 403, 404, 503},
    ("notifications", "PATCH", "/v1/me"): {401, 403, 404, 422, 503},
    ("notifications", "GET", "/v1/staff"): {401, 403, 422, 503},
    ("notifications", "GET", "/v1/staff/{subject}"): {401, 403, 404, 422, 503},
    ("notifications", "PUT", "/v1/staff/{subject}"): {401, 403, 422, 503},  # creates or replaces
    ("notifications", "DELETE", "/v1/staff/{subject}"): {401, 403, 404, 422, 503},
    ("notifications", "GET", "/v1/rules"): {401, 403, 422, 503},
    ("notifications", "POST", "/v1/rules"): {401, 403, 409, 422, 503},  # 409: an Idempotency-Key reused
    ("notifications", "GET", "/v1/rules/{rule_id}"): {401, 403, 404, 422, 503},
    ("notifications", "PUT", "/v1/rules/{rule_id}"): {401, 403, 404, 422, 503},
    ("notifications", "DELETE", "/v1/rules/{rule_id}"): {401, 403, 404, 422, 503},
    ("notifications", "GET", "/v1/webhooks"): {401, 403, 503},
    ("notifications", "POST", "/v1/webhooks"): {401, 403, 409, 422, 503},  # 409: the name is taken
    ("notifications", "GET", "/v1/webhooks/{subscription_id}"): {401, 403, 404, 422, 503},
    ("notifications", "PATCH", "/v1/webhooks/{subscription_id}"): {401, 403, 404, 422, 503},
    ("notifications", "DELETE", "/v1/webhooks/{subscription_id}"): {401, 403, 404, 422, 503},
    ("notifications", "POST", "/v1/webhooks/{subscription_id}/secret"): {401, 403, 404, 422, 503},
    # The inbox: every staff role, each only their own items; 422 also: a cursor not one's own.
    ("notifications", "GET", "/v1/inbox"): {401, 403, 422, 503},
    ("notifications", "GET", "/v1/inbox/unread-count"): {401, 403, 503},
    ("notifications", "POST", "/v1/inbox/read"): {401, 403, 422, 503},
    ("notifications", "GET", "/v1/inbox/stream"): {401, 403, 422, 503},  # 422: its header parameter
}


def operations(service: str) -> list[tuple[str, str, dict[str, Any]]]:
    spec = SERVICES[service]().openapi()
    return [(method.upper(), path, op) for path, ops in spec["paths"].items() for method, op in ops.items()]


@pytest.mark.parametrize("service", SERVICES)
def test_each_v1_route_documents_exactly_the_errors_it_answers_in_the_real_shape(service: str) -> None:
    documented = {}
    for method, path, operation in operations(service):
        if not path.startswith("/v1/"):
            continue
        errors = {int(code) for code in operation["responses"] if int(code) >= 400}
        documented[(service, method, path)] = errors
        for code in errors:
            assert operation["responses"][str(code)]["content"]["application/json"]["schema"] == ERROR_SHAPE
        assert "Retry-After" in operation["responses"]["503"]["headers"]
    assert documented == {key: value for key, value in EXPECTED_ERRORS.items() if key[0] == service}


@pytest.mark.parametrize("service", SERVICES)
def test_fastapis_own_validation_error_shape_appears_nowhere(service: str) -> None:
    spec = SERVICES[service]().openapi()
    assert not {"HTTPValidationError", "ValidationError"} & set(spec["components"]["schemas"])
    assert "HTTPValidationError" not in str(spec)


@pytest.mark.parametrize("service", SERVICES)
def test_every_integer_query_parameter_has_bounds(service: str) -> None:
    for method, path, operation in operations(service):
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            # An optional one (`int | None`) states its bounds in its integer option.
            for option in (schema, *schema.get("anyOf", [])):
                if option.get("type") == "integer":
                    assert "minimum" in option, (method, path, parameter["name"])
                    assert "maximum" in option, (method, path, parameter["name"])


@pytest.mark.parametrize("service", SERVICES)
def test_every_request_body_inherits_the_shared_request_model(service: str) -> None:
    for route in SERVICES[service]().routes:
        if isinstance(route, APIRoute) and route.body_field is not None:
            annotation = route.body_field.field_info.annotation
            # `Body | None` for optional bodies: every member but None must be a RequestModel.
            body_types = [
                kind for kind in getattr(annotation, "__args__", (annotation,)) if kind is not type(None)
            ]
            assert body_types, route.path
            for kind in body_types:
                assert isinstance(kind, type), route.path
                assert issubclass(kind, RequestModel), route.path


@pytest.fixture(params=list(SERVICES))
async def service_client(request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=SERVICES[request.param]())
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_docs_load_every_asset_from_the_service_itself(
    service_client: httpx.AsyncClient, page: str
) -> None:
    html = (await service_client.get(page)).text
    urls = re.findall(r"""(?:src|href|spec-url)=["']([^"']+)["']|url: ?["']([^"']+)["']""", html)
    referenced = {url for pair in urls for url in pair if url}
    assert referenced, html
    assert all(url.startswith("/") for url in referenced), referenced
    for url in referenced:
        response = await service_client.get(url)
        assert response.status_code == 200, url
