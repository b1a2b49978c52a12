"""`make demo`'s generated history is a file intake accepts, and looks like the programme."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from intake.application.history_import import MAX_ROWS
from intake.domain.history_import import read_history
from werkstattnetz_devstack.demo_history import INTEGRATED, generate_history

TODAY = dt.date(2026, 11, 25)
SEATS = {"bike_metal": 14, "garden_landscape": 14, "building_services": 14, "care": 14}


def test_the_demo_history_is_accepted_by_intake_without_a_single_refusal() -> None:
    history = generate_history(SEATS, today=TODAY)
    read = read_history(history.csv_text, TODAY, max_rows=MAX_ROWS)
    assert read.refusals == []
    assert len(read.stays) == history.stays


def test_about_sixty_percent_of_exits_are_integrations_of_a_few_thousand_over_twelve_years() -> None:
    history = generate_history(SEATS, today=TODAY)
    stays = read_history(history.csv_text, TODAY, max_rows=MAX_ROWS).stays
    exits = [stay for stay in stays if stay.exit_date is not None]
    integrated = sum(stay.destination in INTEGRATED for stay in exits)
    assert 0.55 <= integrated / len(exits) <= 0.65
    assert 2_500 <= history.people <= 3_000
    assert history.re_entries > 50  # some came back after breaking off
    first_year = min(stay.enrolled_on for stay in stays).year
    assert TODAY.year - first_year >= 11


def test_fewer_years_give_fewer_people_at_the_same_rate() -> None:
    history = generate_history(SEATS, today=TODAY, years=4)
    assert 700 <= history.people <= 1_100
    assert 0.55 <= history.integration_rate <= 0.65
    assert (
        min(
            read_history(history.csv_text, TODAY, max_rows=MAX_ROWS).stays, key=lambda s: s.enrolled_on
        ).enrolled_on.year
        >= 2022
    )


def test_stays_last_three_to_eighteen_months_on_a_seat_and_today_has_seats_and_waitlists() -> None:
    stays = read_history(generate_history(SEATS, today=TODAY).csv_text, TODAY, max_rows=MAX_ROWS).stays
    seated = [s for s in stays if s.placed_on is not None and s.exit_date is not None]
    months = [(s.exit_date - s.placed_on).days / 30.4 for s in seated if s.exit_date]  # type: ignore[operator]
    # A seat that has just come free today may end a stay early; nearly all are 3–18 months.
    assert sum(2.95 <= m <= 18.05 for m in months) / len(months) > 0.98
    open_stays = [s for s in stays if s.is_open]
    placed_now = Counter(s.work_area.value for s in open_stays if s.placed_on is not None)
    waiting_now = Counter(s.work_area.value for s in open_stays if s.placed_on is None)
    assert all(placed_now[area] <= seats for area, seats in SEATS.items())
    assert sum(placed_now.values()) >= 40
    assert sum(waiting_now.values()) >= 20


def test_the_same_seed_gives_the_same_file() -> None:
    assert generate_history(SEATS, today=TODAY).csv_text == generate_history(SEATS, today=TODAY).csv_text
    assert (
        generate_history(SEATS, today=TODAY, seed=1).csv_text != generate_history(SEATS, today=TODAY).csv_text
    )
