"""Every operation, sent well-formed but without a valid token: each one that documents the bearer
token answers the documented 401, whatever is wrong with the token; the others answer as usual."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.api_fuzzing.checks import OPENAPI, ApiCase, service_of
from tests.integration.api_fuzzing.services import ServedService
from tests.support.tokens import VERIFIER
from werkstattnetz_shared.settings import DEVELOPMENT_JWT_SECRET
from werkstattnetz_shared.web.auth import CLOCK_SKEW_LEEWAY_S

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies"),
]

WITHOUT_A_VALID_TOKEN = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "positive",  # well-formed requests: only the token is wrong
            "max-examples": 2,
            "deterministic": True,
            "database": "none",
            # No generated `Authorization`: each request carries one of ours, or none.
            "with-security-parameters": False,
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)


def token(**claims: Any) -> str:
    """Signed like the services expect, with valid claims but for `claims` (None drops one)."""
    now = int(time.time())
    payload = {
        "sub": "mallory",
        "roles": ["admin"],
        "iss": "werkstattnetz",
        "aud": "werkstattnetz-staff",
        "iat": now,
        "exp": now + 600,
    } | claims
    return jwt.encode(
        {name: value for name, value in payload.items() if value is not None}, DEVELOPMENT_JWT_SECRET
    )


def invalid_authorizations() -> Iterator[tuple[str, dict[str, str]]]:
    expired = int(time.time()) - CLOCK_SKEW_LEEWAY_S - 60
    yield "no Authorization header", {}
    yield "not a JWT", {"Authorization": "Bearer not-a-token"}
    yield "another scheme", {"Authorization": f"Basic {VERIFIER.issue('mallory', ['admin'])}"}
    yield "another secret", {"Authorization": f"Bearer {jwt.encode({'sub': 'mallory'}, 'x' * 40)}"}
    yield "unsigned", {"Authorization": f"Bearer {jwt.encode({'sub': 'mallory'}, None, algorithm='none')}"}
    yield "expired", {"Authorization": f"Bearer {token(exp=expired)}"}
    yield "exp as a string", {"Authorization": f"Bearer {token(exp=str(int(time.time()) + 600))}"}
    yield "without roles", {"Authorization": f"Bearer {token(roles=None)}"}
    yield "another audience", {"Authorization": f"Bearer {token(aud='billing')}"}


@schemathesis.pytest.parametrize(
    **{
        name: schemathesis.openapi.from_dict(document, config=WITHOUT_A_VALID_TOKEN)
        for name, document in OPENAPI.items()
    }
)
def test_without_a_valid_token_every_operation_answers_the_documented_401(
    case: ApiCase, served_services: dict[str, ServedService]
) -> None:
    needs_token = bool(case.operation.definition.raw.get("security"))
    for what, authorization in invalid_authorizations():
        response = case.call(base_url=service_of(case, served_services).base_url, headers=authorization)
        case.validate_response(
            response,
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
                response_headers_conformance,
            ],
        )
        if needs_token:
            assert response.status_code == 401, f"{what}: {response.status_code} {response.text}"
            assert response.headers.get("www-authenticate") == ["Bearer"], what
            assert response.json()["error"]["code"] == "unauthenticated", what
