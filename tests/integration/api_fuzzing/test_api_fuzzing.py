"""API fuzzing: schemathesis sends every operation of every service's OpenAPI to the running
service, schema-valid and schema-violating requests, as admin so that it reaches every handler;
every answer must keep the documented contract.

Reproducible: a bounded number of examples per operation, generated deterministically (Hypothesis'
`derandomize`, no example database), so `make test` sends the same requests in every run of the
same code. Hypothesis also mixes in constants it finds in the project's imported modules, so a
code change, or running this package alone, may change some generated values. An answer may still
change with the date (a birth date generated as today's date was refused yesterday); both answers
are documented ones, which is all the checks ask.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis

from tests.integration.api_fuzzing.checks import (
    OPENAPI,
    ApiCase,
    every_answer_carries_the_edge_headers,
    point_some_ids_at_known_records,
    schema_valid_input_is_refused_only_by_rules_the_schema_cannot_state,
    service_of,
)
from tests.integration.api_fuzzing.services import ADMIN, ServedService

pytestmark = [
    pytest.mark.integration,
    # schemathesis 4.32 draws from `random` inside a strategy, and Hypothesis 6.170 warns about
    # it for every operation; nothing here can act on it.
    pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies"),
]

# Per operation, for the fuzzing phase; the coverage phase adds its boundary cases on top:
# 3000 requests, 25–30 s for all four services here. Enough to find each bug of
# test_found_by_fuzzing.py on its own.
MAX_EXAMPLES = 150

FUZZING = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",  # schema-valid (positive) and schema-violating (negative) requests
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",  # a local .hypothesis folder must not change what is sent
            # Unknown query parameters are ignored, as by most HTTP APIs, and an OpenAPI cannot
            # forbid them; schemathesis would count some of them as accepted invalid input.
            "allow-extra-parameters": False,
        },
        "phases": {
            # examples (the documents carry none), coverage (boundary values, wrong types,
            # missing token, undocumented methods) and fuzzing run. Stateful testing would follow
            # links, which no operation documents; the ids it would carry from one call to the
            # next are pointed at seeded records instead (point_some_ids_at_known_records).
            "stateful": {"enabled": False},
        },
        # Days the fuzzer would hardly draw by chance (it draws from 0001 … 9999): after the
        # seeded enrolments and in the past, so that some exits are recorded (201), then refused
        # (409), and reports count them; likewise plan dates and assessments within the seeded
        # stays. Fixed days, not today's, so every run sends the same.
        "dictionaries": {"plausible_days": {"values": ["2020-01-06", "2023-03-31", "2025-06-30"]}},
        "parameters": {
            name: {"dictionary": "plausible_days", "probability": 0.5}
            for name in (
                "body.exit_date",
                "query.exited_from",
                "query.exited_to",
                "body.due_on",
                "body.written_on",
                "body.assessed_on",
            )
        },
        "checks": {
            # Schema-valid input may still break a rule the schema cannot state (a birth date
            # in the future, an exit before the enrolment), name a record that does not exist
            # or conflict with the state (enrolled twice, an idempotency key reused for another
            # body). Never 401/403: the fuzzer is admin. Whether the route documents the status is
            # status_code_conformance's to say.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "404", "409", "422"]},
            # Input the schema forbids is a 422; without the bearer token the operation requires
            # it is a 401; a path value that is not a UUID matches no route (404); an
            # undocumented method is a 405.
            "negative_data_rejection": {"expected-statuses": ["401", "404", "405", "422"]},
        },
    }
)


# Responses that never end by design (a live Server-Sent Events stream): a fuzzed call would wait
# forever. The stream's own integration tests cover it (tests/integration/notifications/test_inbox.py).
ENDLESS_PATHS = frozenset({"/v1/inbox/stream"})


def fuzzed(document: dict[str, Any]) -> schemathesis.BaseSchema:
    paths = {path: item for path, item in document["paths"].items() if path not in ENDLESS_PATHS}
    return schemathesis.openapi.from_dict(document | {"paths": paths}, config=FUZZING)


def test_each_service_serves_the_openapi_that_is_fuzzed(served_services: dict[str, ServedService]) -> None:
    for name, service in served_services.items():
        served = httpx.get(f"{service.base_url}/openapi.json")
        assert served.status_code == 200, name
        assert served.json() == OPENAPI[name], name


@schemathesis.pytest.parametrize(**{name: fuzzed(document) for name, document in OPENAPI.items()})
def test_every_operation_keeps_its_contract(case: ApiCase, served_services: dict[str, ServedService]) -> None:
    """All of schemathesis' checks, as configured in FUZZING, on every answer:

    - not_a_server_error: no 5xx. A 500 is a bug; so is a 503, since database and broker are up.
    - status_code_conformance, content_type_conformance, response_schema_conformance,
      response_headers_conformance: the status is one the route documents, the body has the
      documented media type and shape (ErrorResponse for every error), the documented headers are
      there (`WWW-Authenticate` on a 401, `Retry-After` on a 503).
    - negative_data_rejection: schema-violating input is refused with a 4xx (401/404/405/422).
    - positive_data_acceptance: schema-valid input is accepted, or refused for a business reason
      (404/409/422) — ours below makes sure a 422 names a rule the schema cannot state.
    - ignored_auth: after a 2xx, the same request without a token and with an invalid one must
      be refused: each route enforces the token it documents.
    - unsupported_method, allow_header_conformance: an undocumented method on a path is a 405
      whose `Allow` names the documented ones.
    - missing_required_header, use_after_free, ensure_resource_availability,
      object_level_authorization: no required header parameters, no stateful phase, one identity;
      enabled, but with nothing to look at here.
    - max_response_time stays off (schemathesis' default): response times are not reproducible.

    Ours: the README's edge headers on every answer (correlation id, security headers, no-store
    under /v1, no server banner); 422s for schema-valid input name rules the schema cannot state.
    """
    service = service_of(case, served_services)
    point_some_ids_at_known_records(case, service.known_ids)
    case.call_and_validate(
        base_url=service.base_url,
        headers=ADMIN,
        additional_checks=[
            every_answer_carries_the_edge_headers,
            schema_valid_input_is_refused_only_by_rules_the_schema_cannot_state,
        ],
    )
