"""A programme's history from its spreadsheet: one CSV row per stay, read and checked row by row.

Historical records carry no personal data: a young person is the spreadsheet's own `person_key`,
so several stays of one person become one participant with re-entries. Every row is checked and
every refusal reported (line, record id, column, rule); a file is imported whole or not at all,
which the application layer decides from the refusals collected here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from intake.domain.history_import_rules import RowRefusal, refusals_across_rows
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    ExitReason,
    Funder,
    ReferralSource,
    WorkArea,
)

REQUIRED_COLUMNS = (
    "record_id",
    "person_key",
    "referred_on",
    "referral_source",
    "enrolled_on",
    "funder",
    "age_band",
    "work_area",
)
OPTIONAL_COLUMNS = ("placed_on", "exit_date", "destination", "exit_reason")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# The programme's age range in the bands events use; historical rows need nothing finer.
IMPORTABLE_AGE_BANDS = (AgeBand.AGE_15_17, AgeBand.AGE_18_20, AgeBand.AGE_21_25)
EARLIEST_DAY = dt.date(1990, 1, 1)
KEY_MAX_LENGTH = 100
_NO_NEXT_STEP = frozenset({Destination.DROPOUT, Destination.UNKNOWN})

Code = TypeVar("Code", bound=StrEnum)


@dataclass(frozen=True)
class HistoricalStay:
    line: int  # in the file, the header being line 1
    record_id: str
    person_key: str
    referred_on: dt.date
    referral_source: ReferralSource
    enrolled_on: dt.date
    funder: Funder
    age_band: AgeBand
    work_area: WorkArea
    placed_on: dt.date | None
    exit_date: dt.date | None
    destination: Destination | None
    exit_reason: ExitReason | None

    @property
    def is_open(self) -> bool:
        return self.exit_date is None


@dataclass(frozen=True)
class ReadHistory:
    stays: list[HistoricalStay]
    refusals: list[RowRefusal]


def read_history(text: str, today: dt.date, *, max_rows: int) -> ReadHistory:
    """Every stay of the file and every refusal of it; only a file without refusals is imported."""
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        return ReadHistory([], [RowRefusal(1, None, "header", "csv_readable", str(error))])
    header_refusals = _header_refusals(header)
    if header_refusals:
        return ReadHistory([], header_refusals)
    stays: list[HistoricalStay] = []
    refusals: list[RowRefusal] = []
    try:
        for row in reader:
            line = reader.line_num
            if len(stays) + len(refusals) >= max_rows:
                message = f"a file holds at most {max_rows} rows; split it and import the parts in turn"
                return ReadHistory([], [RowRefusal(line, None, "file", "at_most_rows", message)])
            stay, row_refusals = _read_row(line, row, today)
            refusals.extend(row_refusals)
            if stay is not None:
                stays.append(stay)
    except csv.Error as error:
        refusals.append(RowRefusal(reader.line_num, None, "row", "csv_readable", str(error)))
    if not stays and not refusals:
        refusals.append(RowRefusal(1, None, "file", "at_least_one_row", "the file holds no stays"))
    refusals.extend(refusals_across_rows(stays))
    return ReadHistory(stays, sorted(refusals, key=lambda refusal: refusal.line))


def _header_refusals(header: Sequence[str]) -> list[RowRefusal]:
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    refusals = [
        RowRefusal(1, None, column, "column_present", f"the header has no column '{column}'")
        for column in missing
    ]
    refusals += [
        RowRefusal(1, None, column[:KEY_MAX_LENGTH], "column_known", f"unknown column; known: {COLUMNS}")
        for column in unknown
    ]
    return refusals


def _read_row(
    line: int, row: dict[str | None, str | list[str] | None], today: dt.date
) -> tuple[HistoricalStay | None, list[RowRefusal]]:
    cells = {column: (value.strip() if isinstance(value, str) else "") for column, value in row.items()}
    record_id = cells.get("record_id") or None
    refusals: list[RowRefusal] = []

    def refuse(field: str, rule: str, message: str) -> None:
        refusals.append(RowRefusal(line, record_id, field, rule, message))

    if None in row:
        refuse("row", "as_many_cells_as_columns", "the row has more cells than the header has columns")

    def key(column: str) -> str:
        value = cells.get(column, "")
        if not value:
            refuse(column, "required", f"{column} is required")
        elif len(value) > KEY_MAX_LENGTH or not value.isprintable():
            refuse(column, "key_format", f"{column} is at most {KEY_MAX_LENGTH} printable characters")
        return value

    def day(column: str, *, required: bool = True) -> dt.date | None:
        value = cells.get(column, "")
        if not value:
            if required:
                refuse(column, "required", f"{column} is required")
            return None
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            refuse(column, "date_written_as_yyyy_mm_dd", f"{column} '{value[:20]}' is not a YYYY-MM-DD day")
            return None
        if len(value) != 10:
            refuse(column, "date_written_as_yyyy_mm_dd", f"{column} '{value}' is not a YYYY-MM-DD day")
            return None
        if parsed < EARLIEST_DAY:
            refuse(column, "date_within_plausible_range", f"{column} lies before {EARLIEST_DAY}")
        elif parsed > today:
            refuse(column, "date_not_in_future", f"{column} {value} lies after today ({today})")
        return parsed

    def code(
        column: str, codes: type[Code], allowed: tuple[Code, ...] | None = None, *, required: bool = True
    ) -> Code | None:
        value = cells.get(column, "")
        choices = allowed or tuple(codes)
        if not value:
            if required:
                refuse(column, "required", f"{column} is required")
            return None
        if value not in {choice.value for choice in choices}:
            refuse(
                column,
                "one_of_vocabulary",
                f"{column} '{value[:40]}' is not one of {[c.value for c in choices]}",
            )
            return None
        return codes(value)

    values = (
        key("record_id"),
        key("person_key"),
        day("referred_on"),
        code("referral_source", ReferralSource),
        day("enrolled_on"),
        code("funder", Funder),
        code("age_band", AgeBand, IMPORTABLE_AGE_BANDS),
        code("work_area", WorkArea),
        day("placed_on", required=False),
        day("exit_date", required=False),
        code("destination", Destination, required=False),
        code("exit_reason", ExitReason, required=False),
    )
    if refusals:
        return None, refusals
    stay = HistoricalStay(line, *values)  # type: ignore[arg-type]  # every value checked above
    return stay, _refusals_within_stay(stay)


def _refusals_within_stay(stay: HistoricalStay) -> list[RowRefusal]:
    refusals: list[RowRefusal] = []

    def refuse(field: str, rule: str, message: str) -> None:
        refusals.append(RowRefusal(stay.line, stay.record_id, field, rule, message))

    order: list[tuple[str, dt.date | None]] = [
        ("referred_on", stay.referred_on),
        ("enrolled_on", stay.enrolled_on),
    ]
    order += [("placed_on", stay.placed_on), ("exit_date", stay.exit_date)]
    known = [(column, day) for column, day in order if day is not None]
    for (earlier, earlier_day), (later, later_day) in itertools.pairwise(known):
        if later_day < earlier_day:
            refuse(later, f"not_before_{earlier}", f"{later} {later_day} lies before {earlier} {earlier_day}")
    if stay.exit_date is not None and stay.destination is None:
        refuse("destination", "required_with_exit_date", "an exit needs its destination")
    if stay.exit_date is None and stay.destination is not None:
        refuse("exit_date", "required_with_destination", "a destination needs the exit date")
    if stay.exit_date is None and stay.exit_reason is not None:
        refuse("exit_date", "required_with_exit_reason", "an exit reason needs the exit date")
    # The programme's rules for an exit's reason (outcomes checks live exits the same way).
    broke_off = stay.destination in _NO_NEXT_STEP
    if stay.exit_reason is ExitReason.FOUND_PLACEMENT and broke_off:
        refuse(
            "exit_reason", "exit_reason_fits_destination", "found_placement needs a next step as destination"
        )
    if stay.exit_reason is ExitReason.DROPOUT and stay.destination is not None and not broke_off:
        refuse(
            "exit_reason", "exit_reason_fits_destination", "dropout needs the destination dropout or unknown"
        )
    return refusals
