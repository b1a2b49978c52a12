"""`make demo`'s attendance plan: only placed people, one entry a day, a mix of statuses, a few runs."""

from __future__ import annotations

import datetime as dt

from werkstattnetz_devstack.demo_today import DaySheet, plan_attendance, transfer_candidates

TODAY = dt.date(2026, 11, 25)
WEEKDAYS = [
    TODAY - dt.timedelta(days=back)
    for back in range(28, 0, -1)
    if (TODAY - dt.timedelta(days=back)).isoweekday() <= 5
]
PEOPLE = [f"p{number:03d}" for number in range(60)]


def sheets() -> list[DaySheet]:
    # Two workshops of 30; the last person of the first changes workshop on the tenth day.
    first, second = PEOPLE[:30], PEOPLE[30:]
    out = []
    for index, day in enumerate(WEEKDAYS):
        out.append(DaySheet("w1", day, True, tuple(first if index <= 9 else first[:-1])))
        out.append(DaySheet("w2", day, True, tuple(second + ([first[-1]] if index >= 9 else []))))
    return out


def test_everyone_placed_gets_one_entry_per_opening_day_with_mostly_present_and_some_absences() -> None:
    plan = plan_attendance(sheets(), seed=2002)
    assert plan.days == 60 * len(WEEKDAYS)
    assert plan.people == set(PEOPLE)
    entries = [
        (e["participant_id"], day) for (_, day), day_entries in plan.entries.items() for e in day_entries
    ]
    assert len(entries) == len(set(entries))  # the transfer day is recorded once
    assert 0.8 <= plan.statuses["present"] / plan.days <= 0.95
    assert all(plan.statuses[status] > 0 for status in ("sick", "excused", "unexcused"))
    present = [e for day_entries in plan.entries.values() for e in day_entries if e["status"] == "present"]
    assert all(5.5 <= e["hours_present"] <= 8 for e in present)  # type: ignore[operator]


def test_a_few_people_miss_three_opening_days_in_a_row_without_excuse() -> None:
    plan = plan_attendance(sheets(), seed=2002)
    assert 2 <= len(plan.streaks) <= 12
    for person in plan.streaks:
        statuses = [
            str(e["status"])
            for (_, _day), day_entries in sorted(plan.entries.items(), key=lambda item: item[0][1])
            for e in day_entries
            if e["participant_id"] == person
        ]
        assert "unexcused,unexcused,unexcused" in ",".join(statuses)


def test_closed_days_and_days_recorded_before_are_not_sent_and_the_same_seed_gives_the_same_plan() -> None:
    closed = [DaySheet("w1", WEEKDAYS[0], False, ("p000",))]
    recorded = [DaySheet("w1", WEEKDAYS[1], True, ("p000", "p001"), frozenset({"p000"}))]
    plan = plan_attendance(closed + recorded, seed=1)
    assert [(key, [e["participant_id"] for e in entries]) for key, entries in plan.entries.items()] == [
        (("w1", WEEKDAYS[1]), ["p001"])
    ]
    assert plan.recorded_before == 1
    assert plan_attendance(sheets(), seed=7).entries == plan_attendance(sheets(), seed=7).entries


def test_transfer_candidates_stay_the_same_after_they_moved_and_are_then_already_done() -> None:
    yesterday = {person: {"w1"} for person in PEOPLE[:30]} | {person: {"w2"} for person in PEOPLE[30:]}
    before = transfer_candidates(yesterday, yesterday, seed=2002)
    assert len(before) == 3
    assert not any(done for _, _, done in before)
    moved = dict(yesterday) | {person: {origin, "w3"} for person, origin, _ in before}
    after = transfer_candidates(yesterday, moved, seed=2002)
    assert [person for person, _, _ in after] == [person for person, _, _ in before]
    assert all(done for _, _, done in after)
