"""`make demo`'s last four weeks in the workshops: attendance of the people placed, a few transfers.

Attendance goes through placement's `PUT /v1/workshops/{id}/attendance/{day}`, one request per
workshop and opening day, only for the people that day's sheet lists as placed — so a re-run, or a
stack that has run for weeks, never contradicts placement's spells. Entries recorded before (by an
earlier run, or by a workshop lead) are left alone: a re-run sends nothing new.

The statuses are seeded: per participant and day mostly present with 5.5 to 8 hours, some sick,
excused and unexcused days; a few people (about one in twelve with enough days) miss three of their
opening days in a row without excuse, so `AbsenceThresholdReached` reaches their caseworker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from werkstattnetz_devstack.demo import Demo

WEEKS_OF_ATTENDANCE = 4
STATUSES = {"present": 88, "sick": 6, "excused": 3, "unexcused": 3}
HOURS_PRESENT = (5.5, 6.0, 6.5, 7.0, 7.0, 7.5, 7.5, 8.0)
STREAK_SHARE = 1 / 12
STREAK_DAYS = 3
TRANSFERS = 3


@dataclass(frozen=True)
class DaySheet:
    """What placement's day sheet says: who was placed in the workshop, and who has an entry."""

    workshop_id: str
    day: dt.date
    workshop_open: bool
    placed: tuple[str, ...]
    recorded: frozenset[str] = frozenset()


@dataclass
class AttendancePlan:
    """The entries to PUT per (workshop, day), and what they add up to."""

    entries: dict[tuple[str, dt.date], list[dict[str, object]]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    people: set[str] = field(default_factory=set)
    streaks: set[str] = field(default_factory=set)
    recorded_before: int = 0

    @property
    def days(self) -> int:
        return sum(self.statuses.values())


def attendance_window(today: dt.date, weeks: int = WEEKS_OF_ATTENDANCE) -> list[dt.date]:
    """The days of the last `weeks` weeks up to yesterday, oldest first."""
    return [today - dt.timedelta(days=back) for back in range(7 * weeks, 0, -1)]


def plan_attendance(sheets: list[DaySheet], seed: int) -> AttendancePlan:
    """The same sheets and seed give the same plan. One entry per participant and day: on a
    transfer day (placed in two workshops) the first workshop in the sheets' order keeps it, and a
    day recorded anywhere before is not sent again (placement would answer 409)."""
    recorded_anywhere = {(person, sheet.day) for sheet in sheets for person in sheet.recorded}
    days_of: dict[str, list[tuple[dt.date, str]]] = {}
    for sheet in sorted(sheets, key=lambda s: (s.day, s.workshop_id)):
        if not sheet.workshop_open:
            continue
        for person in sheet.placed:
            days = days_of.setdefault(person, [])
            if days and days[-1][0] == sheet.day:
                continue  # a transfer day: one workshop records it
            days.append((sheet.day, sheet.workshop_id))
    plan = AttendancePlan()
    for person, days in sorted(days_of.items()):
        rng = random.Random(f"{seed}:{person}")  # noqa: S311 - demo data, not secrets
        streak = _streak_days(rng, days)
        if streak:
            plan.streaks.add(person)
        for day, workshop_id in days:
            if (person, day) in recorded_anywhere:
                plan.recorded_before += 1
                continue
            status = "unexcused" if day in streak else _pick(rng, STATUSES)
            entry: dict[str, object] = {"participant_id": person, "status": status}
            if status == "present":
                entry["hours_present"] = rng.choice(HOURS_PRESENT)
            plan.entries.setdefault((workshop_id, day), []).append(entry)
            plan.statuses[status] += 1
            plan.people.add(person)
    return plan


def transfer_candidates(
    yesterday: dict[str, set[str]], today: dict[str, set[str]], seed: int, count: int = TRANSFERS
) -> list[tuple[str, str, bool]]:
    """`count` people placed yesterday in one workshop and still placed today, in a seeded order
    that today's transfers do not change: (participant, yesterday's workshop, transferred already —
    placed today in another workshop too)."""
    stayed = [
        person
        for person, workshops in yesterday.items()
        if len(workshops) == 1 and today.get(person)
    ]
    ranked = sorted(
        stayed, key=lambda person: hashlib.sha256(f"{seed}:{person}".encode()).hexdigest()
    )
    chosen = []
    for person in ranked[:count]:
        (origin,) = yesterday[person]
        chosen.append((person, origin, bool(today[person] - {origin})))
    return chosen


def _streak_days(rng: random.Random, days: list[tuple[dt.date, str]]) -> set[dt.date]:
    """Three opening days in a row without excuse, for about one in twelve with enough days."""
    if len(days) < STREAK_DAYS + 2 or rng.random() >= STREAK_SHARE:
        return set()
    start = rng.randrange(len(days) - STREAK_DAYS + 1)
    return {day for day, _ in days[start : start + STREAK_DAYS]}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class WorkshopsToday:
    """Attendance and transfers through placement's API, as a manager would (the demo's admin)."""

    def __init__(self, demo: Demo, progress: Callable[[str, int, int], None]) -> None:
        self.demo = demo
        self.progress = progress

    async def record_attendance(self, workshops: list[dict[str, Any]]) -> str:
        days = attendance_window(self.demo.today)
        label = "reading the last four weeks' sheets"
        opening_days = [
            (w, d) for w in workshops for d in days if d.isoweekday() in w["opening_days"]
        ]
        sheets: list[DaySheet] = []
        for number, (workshop, day) in enumerate(opening_days):
            self.progress(label, number, len(opening_days))
            sheets.append(await self.sheet(workshop["workshop_id"], day))
        self.progress(label, len(opening_days), len(opening_days))
        plan = plan_attendance(sheets, self.demo.seed)
        label = "recording attendance"
        refused = 0
        for number, ((workshop_id, day), entries) in enumerate(sorted(plan.entries.items())):
            self.progress(label, number, len(plan.entries))
            path = f"/v1/workshops/{workshop_id}/attendance/{day.isoformat()}"
            refused += await self.demo.put("placement", path, {"entries": entries}) is None
        self.progress(label, len(plan.entries), len(plan.entries))
        counts = ", ".join(f"{plan.statuses[status]} {status}" for status in STATUSES)
        return (
            f"attendance of the last {WEEKS_OF_ATTENDANCE} weeks: {plan.days} days of "
            f"{len(plan.people)} young people recorded ({counts}); {len(plan.streaks)} with "
            f"{STREAK_DAYS} unexcused days in a row; {plan.recorded_before} days recorded before"
            + (f"; {refused} workshop days refused (see above)" if refused else "")
        )

    async def transfer_a_few(self) -> list[str]:
        """About three people placed since before today move to a free seat in another area."""
        workshops = await self.demo.get_list("placement", "/v1/workshops")
        area_of = {w["workshop_id"]: w["work_area"] for w in workshops}
        yesterday = await self.placed_on(workshops, self.demo.today - dt.timedelta(days=1))
        today = await self.placed_on(workshops, self.demo.today)
        said = []
        for person, origin, transferred in transfer_candidates(yesterday, today, self.demo.seed):
            if transferred:
                said.append(f"transfer of {person}: already done")
                continue
            free = [
                w for w in workshops if w["free_seats"] > 0 and w["work_area"] != area_of[origin]
            ]
            if not free:
                said.append(
                    f"transfer of {person} out of {area_of[origin]}: no free seat in another "
                    "area, skipped"
                )
                continue
            target = max(free, key=lambda w: (w["free_seats"], w["name"]))
            key = f"demo-transfer-{self.demo.seed}-{self.demo.today.isoformat()}-{person}"
            moved = await self.demo.post(
                "placement",
                f"/v1/participants/{person}/transfer",
                {"workshop_id": target["workshop_id"]},
                key,
            )
            if moved is None or self.demo.replayed:
                said.append(f"transfer of {person}: already done")
                continue
            target["free_seats"] -= 1
            said.append(
                f"transferred {person} from {area_of[origin]} to {target['name']} "
                f"({target['work_area']})"
            )
        return said

    async def absence_totals(self) -> str:
        month = self.demo.today.strftime("%Y-%m")
        report = await self.demo.get(
            "placement", "/v1/reports/absences", {"month": month, "funder": "jobcenter"}
        )
        totals = report["totals"]
        return (
            f"absences {month}, Jobcenter (placement GET /v1/reports/absences): "
            f"{totals['participants']} participants, {totals['days_placed']} days placed, "
            f"{totals['days_recorded']} recorded, {totals['days_present']} present; "
            f"E {totals['E']}, UE {totals['UE']}, K {totals['K']}"
        )

    async def sheet(self, workshop_id: str, day: dt.date) -> DaySheet:
        path = f"/v1/workshops/{workshop_id}/attendance/{day.isoformat()}"
        body = await self.demo.get("placement", path)
        return DaySheet(
            workshop_id=workshop_id,
            day=day,
            workshop_open=body["workshop_open"],
            placed=tuple(line["participant_id"] for line in body["entries"] if line["placed"]),
            recorded=frozenset(
                line["participant_id"] for line in body["entries"] if line["status"] is not None
            ),
        )

    async def placed_on(self, workshops: list[dict[str, Any]], day: dt.date) -> dict[str, set[str]]:
        """Who was placed where on `day`: participant → workshops (two on a transfer day)."""
        placed: dict[str, set[str]] = {}
        for workshop in workshops:
            for person in (await self.sheet(workshop["workshop_id"], day)).placed:
                placed.setdefault(person, set()).add(workshop["workshop_id"])
        return placed
