"""Age in whole years on a given day, and the coarse band that may leave intake (referrals come for
anyone, so below 15 and above 25 have a band too)."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.domain.age import age_band, age_on
from werkstattnetz_shared.events.vocabulary import AgeBand

DAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("birth_date", "day", "age"),
    [
        (dt.date(2011, 11, 25), DAY, 15),  # 15th birthday that day
        (dt.date(2011, 11, 26), DAY, 14),  # one day short
        (dt.date(2000, 11, 25), DAY, 26),
        (dt.date(2000, 11, 26), DAY, 25),  # 26 the next day
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),  # leap-day birthday in a common year …
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),  # … counts from 1 March
        (dt.date(2008, 2, 29), dt.date(2028, 2, 29), 20),
        (DAY, DAY, 0),
    ],
)
def test_age_counts_whole_years_up_to_the_day(birth_date: dt.date, day: dt.date, age: int) -> None:
    assert age_on(birth_date, day) == age


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, AgeBand.UNDER_15),
        (14, AgeBand.UNDER_15),
        (15, AgeBand.AGE_15_17),
        (17, AgeBand.AGE_15_17),
        (18, AgeBand.AGE_18_20),
        (20, AgeBand.AGE_18_20),
        (21, AgeBand.AGE_21_25),
        (25, AgeBand.AGE_21_25),
        (26, AgeBand.OVER_25),
        (60, AgeBand.OVER_25),
    ],
)
def test_every_age_has_a_band(age: int, band: AgeBand) -> None:
    assert age_band(age) is band


def test_the_bands_are_the_published_ones() -> None:
    assert [band.value for band in AgeBand] == ["under-15", "15-17", "18-20", "21-25", "26+"]
