"""Rules across the rows of a history file: ids unique, one person's stays in order and apart."""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from intake.domain.errors import IntakeRuleViolated

if TYPE_CHECKING:
    from intake.domain.history_import import HistoricalStay


@dataclass(frozen=True)
class RowRefusal:
    """One broken rule of one row (`line` 1 is the header; `record_id` None when unreadable)."""

    line: int
    record_id: str | None
    field: str
    rule: str
    message: str


def refusals_across_rows(stays: Sequence[HistoricalStay]) -> list[RowRefusal]:
    refusals: list[RowRefusal] = []
    first_line_of: dict[str, int] = {}
    for stay in stays:
        first = first_line_of.setdefault(stay.record_id, stay.line)
        if first != stay.line:
            refusals.append(
                RowRefusal(
                    stay.line,
                    stay.record_id,
                    "record_id",
                    "unique_in_file",
                    f"record_id is on line {first} too",
                )
            )
    stays_of: dict[str, list[HistoricalStay]] = defaultdict(list)
    for stay in stays:
        stays_of[stay.person_key].append(stay)
    for person_stays in stays_of.values():
        refusals.extend(_refusals_of_one_person(person_stays))
    return refusals


def _refusals_of_one_person(stays: list[HistoricalStay]) -> list[RowRefusal]:
    """A re-entry is referred no earlier than the previous stay's exit; only the last may be open."""
    ordered = sorted(stays, key=lambda stay: (stay.enrolled_on, stay.line))
    refusals: list[RowRefusal] = []
    for earlier, later in itertools.pairwise(ordered):
        if earlier.exit_date is None:
            refusals.append(
                RowRefusal(
                    earlier.line,
                    earlier.record_id,
                    "exit_date",
                    "only_last_stay_open",
                    f"the person has a later stay (line {later.line}), so this one needs its exit",
                )
            )
        elif later.referred_on < earlier.exit_date:
            refusals.append(
                RowRefusal(
                    later.line,
                    later.record_id,
                    "referred_on",
                    "stays_do_not_overlap",
                    f"referred_on {later.referred_on} lies before the exit of the person's stay on "
                    f"line {earlier.line} ({earlier.exit_date})",
                )
            )
    return refusals


def refusals_of_known_keys(
    stays: Sequence[HistoricalStay], known_record_ids: Collection[str], known_person_keys: Collection[str]
) -> list[RowRefusal]:
    """Rows a previous import brought in already: history is imported once, never merged into."""
    refusals: list[RowRefusal] = []
    for stay in stays:
        if stay.record_id in known_record_ids:
            refusals.append(
                RowRefusal(
                    stay.line,
                    stay.record_id,
                    "record_id",
                    "not_imported_before",
                    "record_id was imported before",
                )
            )
        if stay.person_key in known_person_keys:
            refusals.append(
                RowRefusal(
                    stay.line,
                    stay.record_id,
                    "person_key",
                    "not_imported_before",
                    "person_key was imported before; a person's history is imported in one file",
                )
            )
    return refusals


class HistoryRefused(IntakeRuleViolated):
    """At least one row broke a rule: nothing of the file is imported, and every refusal is named."""

    rule = "history_rows_refused"

    def __init__(self, refusals: Sequence[RowRefusal]) -> None:
        lines = len({refusal.line for refusal in refusals})
        super().__init__(f"{lines} row(s) of the file are refused; nothing was imported")
        self.refusals = list(refusals)


class HistoryAlreadyImported(IntakeRuleViolated):
    """The very same file was imported before (known by its SHA-256)."""

    rule = "history_already_imported"

    def __init__(self, import_id: uuid.UUID) -> None:
        super().__init__(f"this file was imported before (import {import_id}); nothing was imported again")
        self.conflicting_id = import_id
