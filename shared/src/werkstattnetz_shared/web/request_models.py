"""The base of every request body, and the input types that keep implausible values out.

Every service's request models inherit `RequestModel`: unknown fields are refused, no text may
carry a NUL byte or a lone surrogate (PostgreSQL cannot store either, so they used to surface as a
500 from the database), and a plain `bool` is refused at class definition because lax booleans
turn `"yes"` into `True` — use `StrictBool`. Each refusal is a 422 naming the field and the rule.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

NO_NUL_CHARACTER = "no_nul_character"
NO_UNPAIRED_SURROGATE = "no_unpaired_surrogate"
NO_CONTROL_CHARACTERS = "no_control_characters"
DATE_PLAUSIBLE = "date_within_plausible_range"
BIRTH_DATE_PLAUSIBLE = "birth_date_within_plausible_range"
DATE_FORMAT = "date_written_as_yyyy_mm_dd"
MOMENT_FORMAT = "moment_written_as_iso_8601"
INTEGER_TYPE = "int_type"
NUMBER_TYPE = "float_type"

EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)

# ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER are format characters (Cf) that Persian and Indic
# names need to be spelled right; every other format character (zero width space, bidi overrides,
# soft hyphen, byte order mark) is invisible and only hides what a name really contains.
_FORMAT_CHARACTERS_NAMES_MAY_USE = frozenset({"\u200c", "\u200d"})


def _unstorable_character(value: Any) -> str | None:
    """The first NUL byte or unpaired surrogate in `value`, looking into lists and objects."""
    if isinstance(value, str):
        for character in value:
            if character == "\x00" or unicodedata.category(character) == "Cs":
                return character
        return None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        for item in value:
            found = _unstorable_character(item)
            if found is not None:
                return found
    return None


def _has_lax_bool(schema: Any) -> bool:
    """Walks a pydantic core schema for a `bool` that would also accept "yes", 1 or "on"."""
    if isinstance(schema, dict):
        if schema.get("type") == "bool" and not schema.get("strict"):
            return True
        return any(_has_lax_bool(value) for value in schema.values())
    if isinstance(schema, list):
        return any(_has_lax_bool(item) for item in schema)
    return False


class RequestModel(BaseModel):
    """Base class of request bodies; see the module docstring for what it guarantees."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_unstorable_text(cls, value: Any) -> Any:
        # Before the field's own validation, on the raw input, so it also reaches strings inside
        # lists and nested objects and wins over a less telling error (an enum mismatch, say).
        found = _unstorable_character(value)
        if found == "\x00":
            raise PydanticCustomError(NO_NUL_CHARACTER, "text must not contain a NUL byte")
        if found is not None:
            raise PydanticCustomError(
                NO_UNPAIRED_SURROGATE, "text must not contain an unpaired UTF-16 surrogate"
            )
        return value

    @classmethod
    def __pydantic_on_complete__(cls) -> None:
        # Called once the schema is built: at class definition, or at the rebuild that resolves
        # forward references, so no subclass escapes the check.
        super().__pydantic_on_complete__()
        if _has_lax_bool(cls.__pydantic_core_schema__):
            raise TypeError(f"{cls.__name__}: use StrictBool for booleans in request bodies")


def _no_control_characters(name: str) -> str:
    """Refuses control characters (Cc: tabs, line breaks, terminal escapes), line and paragraph
    separators (Zl, Zp) and invisible format characters (Cf, but for the two joiners above).

    A name is shown on screens, printed on letters and compared by people; none of these belong in
    one, and the invisible ones make two names that look the same differ (or a bidi override make
    a name read backwards).
    """
    for character in name:
        category = unicodedata.category(character)
        invisible_format = category == "Cf" and character not in _FORMAT_CHARACTERS_NAMES_MAY_USE
        if category in {"Cc", "Zl", "Zp"} or invisible_format:
            raise PydanticCustomError(
                NO_CONTROL_CHARACTERS,
                "a name must not contain control or invisible formatting characters (found U+{code})",
                {"code": f"{ord(character):04X}"},
            )
    return name


_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _written_as_a_day(value: Any) -> Any:
    """Only `YYYY-MM-DD` (or a date already): pydantic would also take a number as Unix time and a
    midnight datetime as its day, which is not what the OpenAPI's `format: date` promises."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.match(value):
        return value
    raise PydanticCustomError(DATE_FORMAT, "a date must be written as YYYY-MM-DD")


_ISO_MOMENT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


def _written_as_a_moment(value: Any) -> Any:
    """Only an ISO 8601 date-time (the OpenAPI's `format: date-time`), never a number taken as Unix
    time; whether it names its time zone is checked by `AwareDatetime` after this."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        return value
    raise PydanticCustomError(
        MOMENT_FORMAT, "a moment must be written as an ISO 8601 date-time with a time zone"
    )


def _plausible_date(day: dt.date) -> dt.date:
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise PydanticCustomError(
            DATE_PLAUSIBLE,
            "the date must lie between {earliest} and {latest}",
            {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )
    return day


def _plausible_birth_date(day: dt.date) -> dt.date:
    # Today in UTC: a shared type does not know the programme's timezone, and a day's difference
    # matters for nobody who is referred to a programme for 15 to 25-year-olds.
    if not EARLIEST_BIRTH_DATE <= day <= dt.datetime.now(dt.UTC).date():
        raise PydanticCustomError(
            BIRTH_DATE_PLAUSIBLE,
            "the birth date must lie between {earliest} and today",
            {"earliest": EARLIEST_BIRTH_DATE.isoformat()},
        )
    return day


def _json_integer(value: Any) -> Any:
    # Lax ints take `true` and `"7"`; strict ones refuse `7.0`, which JSON Schema calls an integer.
    if isinstance(value, bool | str):
        raise PydanticCustomError(INTEGER_TYPE, "Input should be a valid integer")
    return value


def _json_number(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise PydanticCustomError(NUMBER_TYPE, "Input should be a valid number")
    return value


NoControlCharacters = AfterValidator(_no_control_characters)
# A number as JSON writes one (`7`, `7.0`), never a boolean or a text. Constraints go before the
# validator, `Annotated[int, Field(ge=1), JsonInteger]`: after it, pydantic no longer writes them
# into the JSON Schema as minimum/maximum (the OpenAPI would then allow what is refused).
JsonInteger = BeforeValidator(_json_integer)
JsonNumber = BeforeValidator(_json_number)
"""For text that names a person: `Annotated[str, StringConstraints(...), NoControlCharacters]`.

A validator, not a ready type: string constraints written around an `Annotated` type that already
ends in a validator are not applied as string constraints (pydantic applies `min_length` after the
function, as a length check that `strip_whitespace` never reaches), so each service states its own
constraints first and this last.
"""

PlausibleDate = Annotated[dt.date, BeforeValidator(_written_as_a_day), AfterValidator(_plausible_date)]
"""A date a programme record can carry (1990-01-01 … 2100-12-31), not `0001-01-01` or 9999."""

Moment = Annotated[AwareDatetime, BeforeValidator(_written_as_a_moment)]
"""A point in time with its time zone, e.g. `2026-11-25T09:30:00+01:00`."""

BirthDate = Annotated[dt.date, BeforeValidator(_written_as_a_day), AfterValidator(_plausible_birth_date)]
"""A birth date from 1900-01-01 up to today."""
