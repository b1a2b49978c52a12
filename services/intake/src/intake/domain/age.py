"""Age on a given day, and the coarse age band that may leave intake."""

import datetime as dt

from werkstattnetz_shared.events.vocabulary import AgeBand

YOUNGEST_AGE = 15
OLDEST_AGE = 25


def age_on(birth_date: dt.date, day: dt.date) -> int:
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def age_band(age: int) -> AgeBand:
    """The published band (a referral may come for anyone, so below 15 and above 25 have one too)."""
    if age < YOUNGEST_AGE:
        return AgeBand.UNDER_15
    if age <= 17:
        return AgeBand.AGE_15_17
    if age <= 20:
        return AgeBand.AGE_18_20
    if age <= OLDEST_AGE:
        return AgeBand.AGE_21_25
    return AgeBand.OVER_25
