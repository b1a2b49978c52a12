"""A realistic, seeded history of the programme for `make demo`: one CSV row per stay.

The seats drive it: each seat of each work area is taken by one young person after another, for
3 to 18 months each (most stay about half a year), from `years` back until today; the person
sitting in it today has an open stay. Besides them, people enrolled who left from the waitlist
before a seat came free (after one to nine months). Some who broke off come back a few months
later (a re-entry: the same `person_key`). Destinations are drawn so that about 60 % of exits are
integrations (apprenticeship, employment, therapy), as the programme reports. A few recent
enrolments are still waiting: the waitlists of today.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field

COLUMNS = (
    "record_id",
    "person_key",
    "referred_on",
    "referral_source",
    "enrolled_on",
    "funder",
    "age_band",
    "work_area",
    "placed_on",
    "exit_date",
    "destination",
    "exit_reason",
)
INTEGRATED = frozenset({"apprenticeship", "employment", "therapy"})
# Those who had a seat integrate more often than those who left while still waiting.
DESTINATIONS_AFTER_A_SEAT = {
    "apprenticeship": 36,
    "employment": 26,
    "therapy": 8,
    "school": 6,
    "other_measure": 8,
    "dropout": 13,
    "unknown": 3,
}
DESTINATIONS_FROM_THE_WAITLIST = {
    "apprenticeship": 26,
    "employment": 23,
    "therapy": 6,
    "school": 12,
    "other_measure": 16,
    "dropout": 18,
    "unknown": 6,
}
REASONS = {
    "integrated": {"found_placement": 7, "regular_end": 3},
    "dropout": {"dropout": 8, "excluded": 2},
    "unknown": {"dropout": 5, "moved_away": 3, "other": 2},
    "other": {"regular_end": 5, "moved_away": 2, "health": 2, "funding_ended": 1},
}
SOURCES = {
    "jobcenter": 45,
    "youth_office": 25,
    "school": 10,
    "counselling": 10,
    "self": 7,
    "other": 3,
}
FUNDER_OF_SOURCE = {"jobcenter": "jobcenter", "youth_office": "youth_office"}
AGE_BANDS = {"15-17": 30, "18-20": 45, "21-25": 25}
AREAS_DEMAND = {"bike_metal": 25, "garden_landscape": 25, "building_services": 20, "care": 30}
WAITLIST_LEAVERS_PER_SEAT_STAY = 1.5
RE_ENTRY_SHARE = 0.25  # of those who broke off (dropout, unknown) and could come back
DEFAULT_YEARS = 12  # about 2 600 young people for the 56 seats of the local stack


@dataclass
class _Stay:
    person_key: str
    referred_on: dt.date
    enrolled_on: dt.date
    work_area: str
    placed_on: dt.date | None
    exit_date: dt.date | None
    source: str = ""
    funder: str = ""
    age_band: str = ""
    destination: str = ""
    exit_reason: str = ""


@dataclass(frozen=True)
class DemoHistory:
    csv_text: str
    stays: int
    people: int
    re_entries: int
    open_stays: int
    exits: int
    integrated_exits: int

    @property
    def integration_rate(self) -> float:
        return self.integrated_exits / self.exits if self.exits else 0.0


@dataclass
class _Generator:
    rng: random.Random
    today: dt.date
    start: dt.date
    people: int = 0
    stays: list[_Stay] = field(default_factory=list)

    def pick(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def new_person(self) -> str:
        self.people += 1
        return f"P-{self.people:05d}"

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def seat_occupants(self, area: str, vacancy_today: bool) -> None:
        """One seat from `start` to today: one person after another, no gaps longer than a month."""
        free_from = self.start + self.days(0, 120)
        while free_from <= self.today:
            enrolled = free_from - self.days(0, 75)  # waited on the list for the seat
            referred = enrolled - self.days(5, 30)
            months = min(18.0, max(3.0, self.rng.lognormvariate(1.85, 0.45)))
            leaves = free_from + dt.timedelta(days=round(months * 30.4))
            if leaves > self.today and vacancy_today:
                leaves = self.today - self.days(1, 25)  # the seat has just come free
                leaves = max(leaves, free_from)
            exit_date = leaves if leaves <= self.today else None
            self.stays.append(_Stay("", referred, enrolled, area, free_from, exit_date))
            if exit_date is None:
                return
            free_from = exit_date + self.days(1, 30)

    def waitlist_leavers(self, count: int) -> None:
        """Enrolled, waited, and left before a seat came free; the last ones are waiting today."""
        span = (self.today - self.start).days
        for _ in range(count):
            referred = self.start + self.days(0, span)
            enrolled = referred + self.days(5, 30)
            if enrolled > self.today:
                continue
            leaves = enrolled + self.days(30, 270)
            area = self.pick(AREAS_DEMAND)
            self.stays.append(
                _Stay("", referred, enrolled, area, None, None if leaves > self.today else leaves)
            )

    def describe(self) -> None:
        """Who each stay is (re-entries among those who broke off), and how it ended."""
        waiting_to_return: list[tuple[dt.date, str, str]] = []  # (may come back from, key, band)
        for stay in sorted(self.stays, key=lambda s: s.referred_on):
            returning = next(
                (entry for entry in waiting_to_return if entry[0] <= stay.referred_on), None
            )
            if returning is not None:
                waiting_to_return.remove(returning)
                stay.person_key, stay.age_band = returning[1], returning[2]
            else:
                stay.person_key, stay.age_band = self.new_person(), self.pick(AGE_BANDS)
            stay.source = self.pick(SOURCES)
            stay.funder = FUNDER_OF_SOURCE.get(stay.source, self.pick({"city": 3, "other": 1}))
            if stay.exit_date is None:
                continue
            weights = (
                DESTINATIONS_AFTER_A_SEAT if stay.placed_on else DESTINATIONS_FROM_THE_WAITLIST
            )
            stay.destination = self.pick(weights)
            kind = "integrated" if stay.destination in INTEGRATED else stay.destination
            stay.exit_reason = self.pick(REASONS.get(kind, REASONS["other"]))
            broke_off = stay.destination in ("dropout", "unknown")
            if broke_off and self.rng.random() < RE_ENTRY_SHARE:
                back_from = stay.exit_date + self.days(60, 365)
                waiting_to_return.append((back_from, stay.person_key, stay.age_band))


def generate_history(
    seats_per_area: dict[str, int], *, today: dt.date, years: int = DEFAULT_YEARS, seed: int = 2002
) -> DemoHistory:
    """The same seed, seats and day give the same file."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    generator = _Generator(rng, today, today - dt.timedelta(days=round(years * 365.25)))
    for area, seats in sorted(seats_per_area.items()):
        for seat in range(seats):
            # About one seat in twelve has just come free: today's waitlist can move.
            generator.seat_occupants(area, vacancy_today=seat % 12 == 11)
    seat_stays = len(generator.stays)
    generator.waitlist_leavers(round(seat_stays * WAITLIST_LEAVERS_PER_SEAT_STAY))
    generator.describe()
    return _as_file(generator.stays)


def _as_file(stays: list[_Stay]) -> DemoHistory:
    ordered = sorted(stays, key=lambda s: (s.enrolled_on, s.person_key))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    seen: set[str] = set()
    re_entries = 0
    for number, stay in enumerate(ordered, start=1):
        re_entries += stay.person_key in seen
        seen.add(stay.person_key)
        writer.writerow(
            [
                f"H-{number:06d}",
                stay.person_key,
                stay.referred_on.isoformat(),
                stay.source,
                stay.enrolled_on.isoformat(),
                stay.funder,
                stay.age_band,
                stay.work_area,
                stay.placed_on.isoformat() if stay.placed_on else "",
                stay.exit_date.isoformat() if stay.exit_date else "",
                stay.destination,
                stay.exit_reason,
            ]
        )
    exits = [stay for stay in stays if stay.exit_date is not None]
    return DemoHistory(
        csv_text=out.getvalue(),
        stays=len(stays),
        people=len(seen),
        re_entries=re_entries,
        open_stays=len(stays) - len(exits),
        exits=len(exits),
        integrated_exits=sum(stay.destination in INTEGRATED for stay in exits),
    )
