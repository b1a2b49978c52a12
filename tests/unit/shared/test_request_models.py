"""The request-body base class and input types: nothing unstorable or implausible gets past them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, StrictBool, StringConstraints, ValidationError

from werkstattnetz_shared.web.request_models import (
    BirthDate,
    JsonInteger,
    JsonNumber,
    NoControlCharacters,
    PlausibleDate,
    RequestModel,
)


class Nested(RequestModel):
    note: str


class Body(RequestModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), NoControlCharacters] = "Mia"
    email: str | None = None
    tags: list[str] = Field(default_factory=list)
    nested: Nested | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    agreed: StrictBool = True
    on: PlausibleDate | None = None
    born: BirthDate | None = None


def errors_of(**fields: Any) -> list[tuple[str, str]]:
    """(field, rule) of each error, validating from JSON text as FastAPI's bodies arrive."""
    with pytest.raises(ValidationError) as raised:
        Body.model_validate_json(json.dumps(fields))
    return [(".".join(str(part) for part in error["loc"]), error["type"]) for error in raised.value.errors()]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "Mi\x00a"}, "name"),
        ({"email": "mia\x00@example.org"}, "email"),
        ({"tags": ["ok", "not\x00ok"]}, "tags"),
        ({"labels": {"key\x00": "value"}}, "labels"),
        ({"nested": {"note": "\x00"}}, "nested"),
    ],
)
def test_a_nul_byte_anywhere_is_refused_naming_the_field(fields: dict[str, Any], field: str) -> None:
    assert errors_of(**fields) == [(field, "no_nul_character")]


def test_an_unpaired_surrogate_is_refused_too() -> None:
    with pytest.raises(ValidationError) as raised:
        Body.model_validate({"email": "mia\ud800@example.org"})
    assert [error["type"] for error in raised.value.errors()] == ["no_unpaired_surrogate"]


def test_unknown_fields_are_refused() -> None:
    assert errors_of(nickname="M") == [("nickname", "extra_forbidden")]


@pytest.mark.parametrize(
    "name",
    [
        "Mia\tKrause",  # Cc
        "Mia\x1b[31m",  # Cc: a terminal escape
        "Mi\u0085a",  # Cc: next line (at the ends it would just be stripped)
        "Mi\u200ba",  # Cf: zero width space
        "\u202eesuarK",  # Cf: right-to-left override
        "Mi\u00ada",  # Cf: soft hyphen
        "\ufeffMia",  # Cf: byte order mark
        "Mia\u2028Krause",  # Zl: line separator
    ],
)
def test_control_and_invisible_characters_in_names_are_refused(name: str) -> None:
    assert errors_of(name=name) == [("name", "no_control_characters")]


def test_a_name_keeps_its_own_constraints_next_to_the_character_rule() -> None:
    assert errors_of(name="   ") == [("name", "string_too_short")]
    assert Body.model_validate({"name": "  Mia "}).name == "Mia"


@pytest.mark.parametrize("name", ["Zoë", "Ðặng", "O'Brien-Łukasz", "Fa\u200cride", "张伟", "Mia Krause"])
def test_real_names_pass_including_the_joiners_some_scripts_need(name: str) -> None:
    assert Body.model_validate_json(json.dumps({"name": name})).name == name


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, "on", None])
def test_booleans_are_strict(value: object) -> None:
    [(field, _)] = errors_of(agreed=value)
    assert field == "agreed"


def test_a_plain_bool_in_a_request_model_is_refused_when_the_class_is_defined() -> None:
    with pytest.raises(TypeError, match="StrictBool"):

        class Lax(RequestModel):
            maybe: bool | None = None

    class Response(BaseModel):  # response models may use plain bool
        done: bool

    assert Response(done=True).done


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31", "2101-01-01", "9999-12-31"])
def test_dates_outside_the_plausible_window_are_refused(day: str) -> None:
    assert errors_of(on=day) == [("on", "date_within_plausible_range")]


@pytest.mark.parametrize("day", ["1990-01-01", "2026-11-25", "2100-12-31"])
def test_dates_inside_the_window_pass(day: str) -> None:
    assert Body.model_validate_json(json.dumps({"on": day})).on == dt.date.fromisoformat(day)


def test_birth_dates_run_from_1900_to_today() -> None:
    today = dt.datetime.now(dt.UTC).date()
    for day in ("0001-01-01", "1899-12-31", (today + dt.timedelta(days=1)).isoformat()):
        assert errors_of(born=day) == [("born", "birth_date_within_plausible_range")]
    for day in ("1900-01-01", today.isoformat()):
        assert Body.model_validate_json(json.dumps({"born": day})).born == dt.date.fromisoformat(day)


def test_the_strict_bool_check_also_reaches_a_model_completed_later() -> None:
    class Later(RequestModel):
        inner: Inner  # not defined yet: the model completes at its rebuild

    class Inner(BaseModel):
        flag: bool

    with pytest.raises(TypeError, match="StrictBool"):
        Later.model_rebuild()


class Counts(RequestModel):
    seats: Annotated[int, Field(ge=0), JsonInteger]
    hours: Annotated[float, Field(ge=0), JsonNumber]


def test_number_constraints_stay_in_the_json_schema() -> None:
    properties = Counts.model_json_schema()["properties"]
    assert (properties["seats"]["minimum"], properties["hours"]["minimum"]) == (0, 0)


@pytest.mark.parametrize(("seats", "hours"), [(7, 6.5), (7.0, 6), (0, 0)])
def test_numbers_as_json_writes_them_pass(seats: float, hours: float) -> None:
    counts = Counts.model_validate_json(json.dumps({"seats": seats, "hours": hours}))
    assert (counts.seats, counts.hours) == (seats, hours)


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("seats", True, "int_type"),
        ("seats", "7", "int_type"),
        ("seats", 7.5, "int_from_float"),
        ("hours", False, "float_type"),
        ("hours", "6.5", "float_type"),
    ],
)
def test_booleans_and_texts_are_no_numbers(field: str, value: object, rule: str) -> None:
    fields: dict[str, object] = {"seats": 1, "hours": 1.0, field: value}
    with pytest.raises(ValidationError) as refused:
        Counts.model_validate_json(json.dumps(fields))
    assert [(error["loc"], error["type"]) for error in refused.value.errors()] == [((field,), rule)]
