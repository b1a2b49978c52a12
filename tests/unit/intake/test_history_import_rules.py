"""Reading a programme's history file: every row checked, every refusal named by line, record and rule."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.domain.history_import import COLUMNS, ReadHistory, read_history
from intake.domain.history_import_rules import refusals_of_known_keys
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, ExitReason, WorkArea

TODAY = dt.date(2026, 11, 25)
HEADER = ",".join(COLUMNS)
GOOD = (
    "H-1,P-1,2019-02-04,jobcenter,2019-02-18,jobcenter,18-20,care,2019-03-01,2019-12-20,"
    "apprenticeship,found_placement"
)
RE_ENTRY = "H-2,P-1,2020-05-11,self,2020-05-25,city,18-20,bike_metal,,2020-11-30,dropout,dropout"
OPEN = "H-3,P-2,2026-09-02,school,2026-09-16,youth_office,15-17,garden_landscape,,,,"


def read(*rows: str, header: str = HEADER, max_rows: int = 1000) -> ReadHistory:
    return read_history("\n".join([header, *rows]) + "\n", TODAY, max_rows=max_rows)


def refused(*rows: str, header: str = HEADER) -> set[tuple[int, str | None, str, str]]:
    return {(r.line, r.record_id, r.field, r.rule) for r in read(*rows, header=header).refusals}


def with_cell(row: str, column: str, value: str) -> str:
    cells = row.split(",")
    cells[COLUMNS.index(column)] = value
    return ",".join(cells)


def test_a_clean_file_is_read_into_stays_without_refusals() -> None:
    history = read(GOOD, RE_ENTRY, OPEN)
    assert history.refusals == []
    first, second, running = history.stays
    assert (first.line, first.record_id, first.person_key) == (2, "H-1", "P-1")
    assert first.work_area is WorkArea.CARE
    assert first.age_band is AgeBand.AGE_18_20
    assert first.destination is Destination.APPRENTICESHIP
    assert first.exit_reason is ExitReason.FOUND_PLACEMENT
    assert second.placed_on is None
    assert not second.is_open
    assert running.is_open
    assert running.destination is None


def test_the_optional_columns_may_be_left_out_of_the_header() -> None:
    header = "record_id,person_key,referred_on,referral_source,enrolled_on,funder,age_band,work_area"
    history = read("H-9,P-9,2024-01-02,self,2024-01-03,city,21-25,care", header=header)
    assert history.refusals == []
    assert history.stays[0].is_open


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("record_id", "", "required"),
        ("person_key", "", "required"),
        ("referred_on", "04.02.2019", "date_written_as_yyyy_mm_dd"),
        ("referred_on", "20190204", "date_written_as_yyyy_mm_dd"),
        ("referred_on", "1989-12-31", "date_within_plausible_range"),
        ("enrolled_on", "2026-11-26", "date_not_in_future"),
        ("referral_source", "friend", "one_of_vocabulary"),
        ("funder", "", "required"),
        ("age_band", "26+", "one_of_vocabulary"),
        ("age_band", "under-15", "one_of_vocabulary"),
        ("work_area", "kitchen", "one_of_vocabulary"),
        ("destination", "prison", "one_of_vocabulary"),
        ("exit_reason", "bored", "one_of_vocabulary"),
    ],
)
def test_each_cell_is_checked_and_its_refusal_names_line_record_column_and_rule(
    column: str, value: str, rule: str
) -> None:
    record_id = None if column == "record_id" else "H-1"
    assert (2, record_id, column, rule) in refused(with_cell(GOOD, column, value))


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("enrolled_on", "2019-02-01", "not_before_referred_on"),
        ("placed_on", "2019-02-17", "not_before_enrolled_on"),
        ("exit_date", "2019-02-28", "not_before_placed_on"),
    ],
)
def test_the_days_of_a_stay_are_in_order(column: str, value: str, rule: str) -> None:
    assert refused(with_cell(GOOD, column, value)) == {(2, "H-1", column, rule)}


def test_an_exit_needs_its_destination_and_a_destination_or_reason_needs_an_exit() -> None:
    assert refused(with_cell(GOOD, "destination", "")) == {
        (2, "H-1", "destination", "required_with_exit_date")
    }
    no_exit = with_cell(GOOD, "exit_date", "")
    assert refused(no_exit) == {
        (2, "H-1", "exit_date", "required_with_destination"),
        (2, "H-1", "exit_date", "required_with_exit_reason"),
    }


def test_the_exit_reason_fits_the_destination() -> None:
    assert refused(with_cell(GOOD, "exit_reason", "dropout")) == {
        (2, "H-1", "exit_reason", "exit_reason_fits_destination")
    }
    assert refused(with_cell(RE_ENTRY, "exit_reason", "found_placement")) == {
        (2, "H-2", "exit_reason", "exit_reason_fits_destination")
    }


def test_every_refused_row_is_reported_not_only_the_first() -> None:
    bad_date = with_cell(GOOD, "referred_on", "yesterday")
    bad_area = with_cell(OPEN, "work_area", "kitchen")
    assert refused(bad_date, RE_ENTRY, bad_area) == {
        (2, "H-1", "referred_on", "date_written_as_yyyy_mm_dd"),
        (4, "H-3", "work_area", "one_of_vocabulary"),
    }


def test_a_record_id_is_unique_in_the_file() -> None:
    assert refused(GOOD, with_cell(OPEN, "record_id", "H-1")) == {(3, "H-1", "record_id", "unique_in_file")}


def test_stays_of_one_person_do_not_overlap() -> None:
    overlapping = with_cell(RE_ENTRY, "referred_on", "2019-12-19")
    assert refused(GOOD, overlapping) == {(3, "H-2", "referred_on", "stays_do_not_overlap")}
    # Referred again on the day of the exit is fine: the next stay begins as the last one ends.
    assert refused(GOOD, with_cell(RE_ENTRY, "referred_on", "2019-12-20")) == set()


def test_only_the_last_stay_of_a_person_may_be_open() -> None:
    open_first = with_cell(with_cell(with_cell(GOOD, "exit_date", ""), "destination", ""), "exit_reason", "")
    assert refused(open_first, RE_ENTRY) == {(2, "H-1", "exit_date", "only_last_stay_open")}
    # Rows need not be in time order: the order of the stays is their enrolment's.
    assert refused(RE_ENTRY, GOOD) == set()


def test_the_header_must_name_the_required_columns_and_nothing_unknown() -> None:
    header = HEADER.replace("funder", "payer")
    assert refused(GOOD, header=header) == {
        (1, None, "funder", "column_present"),
        (1, None, "payer", "column_known"),
    }


def test_an_empty_file_a_ragged_row_and_too_many_rows_are_refused() -> None:
    assert {r.rule for r in read().refusals} == {"at_least_one_row"}
    assert (2, "H-1", "row", "as_many_cells_as_columns") in refused(GOOD + ",extra")
    assert {r.rule for r in read(GOOD, RE_ENTRY, OPEN, max_rows=2).refusals} == {"at_most_rows"}


def test_records_and_people_imported_before_are_refused() -> None:
    stays = read(GOOD, RE_ENTRY, OPEN).stays
    found = {(r.line, r.field) for r in refusals_of_known_keys(stays, {"H-3"}, {"P-1"})}
    assert found == {(2, "person_key"), (3, "person_key"), (4, "record_id")}
