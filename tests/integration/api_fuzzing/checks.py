"""What the fuzzing tests add to schemathesis: the documents, known ids, checks of our own, and
the bugs fuzzing found that are reported and fixed outside the tests."""

from __future__ import annotations

import sys
import uuid
from typing import Any

from schemathesis import Case, CheckContext, GenerationMode, Response

from intake.app import create_app as create_intake
from intake.settings import IntakeSettings
from notifications.app import create_app as create_notifications
from notifications.settings import NotificationsSettings
from outcomes.app import create_app as create_outcomes
from outcomes.settings import OutcomesSettings
from placement.app import create_app as create_placement
from placement.settings import PlacementSettings
from tests.integration.api_fuzzing.services import ServedService
from werkstattnetz_shared.rules import RuleViolated
from werkstattnetz_shared.web import request_models
from werkstattnetz_shared.web.edge import CORRELATION_HEADER, SECURITY_HEADERS

ApiCase = Case[Any]
"""What schemathesis hands a test or check: one generated request for an OpenAPI operation."""

# pytest needs the documents when it collects (one test per operation), before any service runs,
# so they come from the apps themselves; `test_each_service_serves_the_openapi_that_is_fuzzed`
# proves the running services serve the same.
_NO_DATABASE = "postgresql://unused:unused@127.0.0.1:9/unused"
OPENAPI: dict[str, dict[str, Any]] = {
    "intake": create_intake(IntakeSettings(database_url=_NO_DATABASE)).openapi(),
    "placement": create_placement(PlacementSettings(database_url=_NO_DATABASE)).openapi(),
    "outcomes": create_outcomes(OutcomesSettings(database_url=_NO_DATABASE)).openapi(),
    "notifications": create_notifications(NotificationsSettings(database_url=_NO_DATABASE)).openapi(),
}
_SERVICE_TITLED = {document["info"]["title"]: name for name, document in OPENAPI.items()}


def service_of(case: ApiCase, served_services: dict[str, ServedService]) -> ServedService:
    return served_services[_SERVICE_TITLED[case.operation.schema.raw_schema["info"]["title"]]]


def point_some_ids_at_known_records(case: ApiCase, known_ids: dict[str, list[str]]) -> None:
    """Replace about half of the generated ids with ids of records the service holds.

    A random UUID names nothing, so without this every call with an id would end in a 404 before
    the handler's rules run. Whether an id is replaced, and by which record, follows from the
    generated value itself, so it is as deterministic as the generation. Only well-formed UUIDs
    are replaced: a malformed one is the negative case the fuzzer meant to send. Ids in path,
    query and the top level of a JSON body (e.g. intake's `same_person_as`) are pointed alike.
    """
    body: dict[str, Any] | None = case.body if isinstance(case.body, dict) else None
    places: list[dict[str, Any] | None] = [case.path_parameters, case.query, body]
    for parameters in places:
        if parameters is None:
            continue
        for name, value in parameters.items():
            candidates = known_ids.get(name)
            if not candidates or not isinstance(value, str):
                continue
            try:
                number = uuid.UUID(value).int
            except ValueError:
                continue
            if number % 2 == 0:
                parameters[name] = candidates[number // 2 % len(candidates)]


def every_answer_carries_the_edge_headers(ctx: CheckContext, response: Response, case: ApiCase) -> None:
    """README: a correlation id and the security headers on every answer, no-store under /v1,
    no server banner. Not in the OpenAPI, so schemathesis' header check does not look for them."""
    headers = response.headers
    assert headers.get(CORRELATION_HEADER.lower()), f"no {CORRELATION_HEADER}"
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name.lower()) == [value], f"{name}: {headers.get(name.lower())}"
    if case.path.startswith("/v1/"):
        assert headers.get("cache-control") == ["no-store"], f"Cache-Control: {headers.get('cache-control')}"
    assert "server" not in headers, f"a server banner: {headers['server']}"


def _rules_of_the_domains() -> frozenset[str]:
    pending, rules = list(RuleViolated.__subclasses__()), set[str]()
    while pending:
        violation = pending.pop()
        rules.add(violation.rule)
        pending.extend(violation.__subclasses__())
    return frozenset(rules)


# The rules intake checks together at enrolment: a refusal (`eligibility_not_met`,
# `funding_invalid`) names each failed one in its details. Who may be enrolled depends on what
# intake knows (age on the day, interview, consents), how shares add up on the values of several
# items; a schema states neither. (1–2 funders and 1–100 % per share it does state.)
INTAKE_RULES_CHECKED_TOGETHER = {
    "age_within_programme_range",
    "no_completed_vocational_training",
    "not_employed",
    "consent_to_data_processing_required",
    "guardian_consent_required_for_minor",
    "each_funder_once",
    "shares_add_up_to_100",
}

# Rules a JSON Schema cannot state, so schema-valid input may break them: the domain rules (each
# violation class names one: dates after today or before the referral, the same person known
# already, details that do not match the person a re-entry names, a guardian's consent without
# their name, …), intake's rules checked together at enrolment, the plausibility rules of every
# request (NUL bytes, control characters in names, date ranges), custom validators
# (`value_error`: each work area named once), and paging cursors: notifications' must name a
# delivery (or an item of the caller's inbox), intake's must be one its list handed out.
RULES_THE_SCHEMA_CANNOT_STATE = (
    _rules_of_the_domains()
    | INTAKE_RULES_CHECKED_TOGETHER
    | {
        request_models.NO_NUL_CHARACTER,
        request_models.NO_UNPAIRED_SURROGATE,
        request_models.NO_CONTROL_CHARACTERS,
        request_models.DATE_PLAUSIBLE,
        request_models.BIRTH_DATE_PLAUSIBLE,
        "value_error",
        "after_must_name_a_delivery",
        "after_must_name_an_item",
        "cursor_from_this_list",
        # Either item_ids or all: true (one of two fields; an OpenAPI `oneOf` would say it less plainly).
        "item_ids_or_all",
        # Absolute http(s) with a valid host and port: more than a JSON Schema pattern can check.
        "url_must_be_absolute_http",
    }
)

# Found by this check and reported; minor, so they are tolerated here rather than failing the
# suite. pydantic strips whitespace before it checks `min_length` and `pattern`, so the
# schema-valid name "\n" is refused as too short; and `\s` in the email pattern matches NEL
# (U+0085) for pydantic's regex engine, but not for the ECMA-262 one the OpenAPI is read with.
_TEXT_RULES = {"string_too_short", "string_pattern_mismatch"}
_WHITESPACE_ONLY_PYDANTIC_SEES = "\x85"


def _subnormal_multiple(detail: dict[str, Any], body: object) -> bool:
    """The generator sometimes offers a subnormal float (2.2e-311) as a multiple of 0.25, which it
    is not (jsonschema agrees with the refusal): a flaw of the generator, not of our schema."""
    if detail["rule"] != "multiple_of":
        return False
    value: object = body
    for part in str(detail["field"]).split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    return isinstance(value, float) and 0 < abs(value) < sys.float_info.min


def _text_read_differently(detail: dict[str, Any], body: object) -> bool:
    value = body.get(detail["field"]) if isinstance(body, dict) else None
    if detail["rule"] not in _TEXT_RULES or not isinstance(value, str):
        return False
    return value != value.strip() or _WHITESPACE_ONLY_PYDANTIC_SEES in value


def _row_of_a_csv_file(detail: dict[str, Any]) -> bool:
    """intake's history import takes a CSV file (`type: string`): what its header and rows must
    hold is beyond a schema, and each refusal names its line (`line <n>: <column>`)."""
    return str(detail["field"]).startswith("line ")


def schema_valid_input_is_refused_only_by_rules_the_schema_cannot_state(
    ctx: CheckContext, response: Response, case: ApiCase
) -> None:
    """A 422 for schema-valid input must name a rule the schema could not have stated.

    If it names one the schema could state (a missing field, a type, an enum, a length), the
    OpenAPI and the validation disagree, and a generated client would send what is refused.
    """
    if (
        response.status_code != 422
        or case.meta is None
        or case.meta.generation.mode is not GenerationMode.POSITIVE
    ):
        return
    details: list[dict[str, Any]] = response.json()["error"]["details"]
    stateable = [
        detail
        for detail in details
        if detail["rule"] not in RULES_THE_SCHEMA_CANNOT_STATE
        and not _text_read_differently(detail, case.body)
        and not _subnormal_multiple(detail, case.body)
        and not _row_of_a_csv_file(detail)
    ]
    assert not stateable, f"schema-valid input refused by rules the OpenAPI could state: {stateable}"
