"""The live statistics' rules: idempotent, order-tolerant, decided by the events' own facts."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from outcomes_live.domain.facts import Fact, FactKind, ParticipantFacts
from outcomes_live.domain.figures import FigureQuery, Figures, LiveFigures

_ids = itertools.count()


def fact(kind: FactKind, day: dt.date, at_hour: int = 8, **facts: object) -> Fact:
    at = dt.datetime.combine(day, dt.time(at_hour), dt.UTC)
    return Fact(event_id=f"e{next(_ids)}", kind=kind, at=at, day=day, **facts)  # type: ignore[arg-type]


def enrolment(day: dt.date, key: str = "s1", funders: tuple[str, ...] = ("jobcenter",)) -> Fact:
    return fact(FactKind.ENROLMENT, day, stay_key=key, work_area="care", funders=funders)


def exit_(day: dt.date, destination: str = "apprenticeship", area: str | None = None) -> Fact:
    integrated = destination in {"apprenticeship", "employment", "therapy"}
    return fact(
        FactKind.EXIT,
        day,
        destination=destination,
        integrated=integrated,
        work_area=area,
        funders=("jobcenter",),
    )


def figures_of(*facts: Fact, query: FigureQuery | None = None) -> Figures:
    participant = ParticipantFacts()
    for each in facts:
        participant = participant.with_fact(each)
    live = LiveFigures()
    live.record_change(ParticipantFacts(), participant)
    return live.figures(query or FigureQuery())


def test_a_redelivered_event_changes_nothing() -> None:
    placed = fact(FactKind.PLACED, dt.date(2025, 2, 1), work_area="care")
    facts = ParticipantFacts().with_fact(enrolment(dt.date(2025, 1, 6))).with_fact(placed)
    assert facts.with_fact(placed) is facts
    assert figures_of(enrolment(dt.date(2025, 1, 6)), placed, placed).placed == 1


def test_any_arrival_order_gives_the_same_figures() -> None:
    story = [
        fact(FactKind.REFERRAL, dt.date(2024, 12, 20), work_area="care"),
        enrolment(dt.date(2025, 1, 6)),
        fact(FactKind.WAITLISTED, dt.date(2025, 1, 6), at_hour=9, work_area="care"),
        fact(FactKind.PLACED, dt.date(2025, 2, 5), work_area="care"),
        fact(FactKind.PLACEMENT_ENDED, dt.date(2025, 4, 1), work_area="care"),
        fact(FactKind.PLACED, dt.date(2025, 4, 1), at_hour=9, work_area="bike_metal"),
        exit_(dt.date(2025, 9, 1), area="bike_metal"),
        fact(
            FactKind.FOLLOW_UP,
            dt.date(2026, 3, 3),
            situation="still_in_training",
            exit_date=dt.date(2025, 9, 1),
        ),
    ]
    expected = figures_of(*story)
    for seed in range(20):
        shuffled = story[:]
        random.Random(seed).shuffle(shuffled)
        assert figures_of(*shuffled) == expected
    assert (expected.referred, expected.enrolled, expected.placed, expected.waiting) == (1, 1, 1, 0)
    assert (expected.exited, expected.integrated, expected.followed_up, expected.retained) == (1, 1, 1, 1)
    assert expected.average_waiting_days == 30.0  # enrolment to the first placement, not the transfer
    assert figures_of(*story, query=FigureQuery(work_area="bike_metal")).exited == 1  # area at the exit


def test_a_stale_waitlisting_never_makes_a_placed_person_wait() -> None:
    waitlisted = fact(FactKind.WAITLISTED, dt.date(2025, 1, 6), at_hour=9, work_area="care")
    placed = fact(FactKind.PLACED, dt.date(2025, 1, 20), work_area="care")
    assert figures_of(enrolment(dt.date(2025, 1, 6)), placed, waitlisted).waiting == 0
    assert figures_of(enrolment(dt.date(2025, 1, 6)), waitlisted).waiting == 1
    assert figures_of(enrolment(dt.date(2025, 1, 6)), waitlisted, exit_(dt.date(2025, 3, 1))).waiting == 0


def test_a_placement_heard_after_the_exit_still_gives_the_exit_its_area() -> None:
    late = figures_of(
        enrolment(dt.date(2025, 1, 6)),
        exit_(dt.date(2025, 5, 1)),
        fact(FactKind.PLACED, dt.date(2025, 1, 6), work_area="garden_landscape"),
        query=FigureQuery(work_area="garden_landscape"),
    )
    assert late.exited == 1


def test_therapy_counts_for_the_programme_not_for_the_jobcenter() -> None:
    figures = figures_of(enrolment(dt.date(2025, 1, 6)), exit_(dt.date(2025, 5, 1), "therapy"))
    assert (figures.integration_rate, figures.jobcenter_integration_rate) == (1.0, 0.0)
    school = figures_of(enrolment(dt.date(2025, 1, 6)), exit_(dt.date(2025, 5, 1), "school"))
    assert (school.integrated, school.jobcenter_integrated) == (0, 0)


def test_retention_counts_only_followed_up_integrated_exits_and_the_latest_follow_up() -> None:
    exit_day = dt.date(2025, 5, 1)
    changed = fact(FactKind.FOLLOW_UP, dt.date(2025, 11, 1), situation="changed", exit_date=exit_day)
    corrected = fact(FactKind.FOLLOW_UP, dt.date(2025, 11, 2), situation="still_employed", exit_date=exit_day)
    figures = figures_of(enrolment(dt.date(2025, 1, 6)), exit_(exit_day, "employment"), changed, corrected)
    assert (figures.followed_up, figures.retained, figures.retention_rate) == (1, 1, 1.0)
    dropout = figures_of(enrolment(dt.date(2025, 1, 6)), exit_(exit_day, "dropout"), changed)
    assert (dropout.followed_up, dropout.retention_rate) == (0, None)


def test_a_re_entry_is_a_second_stay_and_each_exit_counts_in_its_own_year() -> None:
    figures = figures_of(
        enrolment(dt.date(2024, 1, 8), key="first"),
        exit_(dt.date(2024, 6, 1), "dropout"),
        enrolment(dt.date(2025, 2, 3), key="second"),
        exit_(dt.date(2025, 8, 1), "employment"),
    )
    assert (figures.enrolled, figures.exited, figures.integrated) == (2, 2, 1)
    assert figures.average_days_to_exit == (145 + 179) / 2  # each exit from its own enrolment


def test_an_exit_heard_before_its_enrolment_counts_once_the_enrolment_arrives() -> None:
    before = figures_of(exit_(dt.date(2025, 5, 1)))
    assert (before.exited, before.enrolled, before.average_days_to_exit) == (1, 0, None)
    after = figures_of(
        exit_(dt.date(2025, 5, 1)), enrolment(dt.date(2025, 1, 1), funders=("jobcenter", "city"))
    )
    assert (after.exited, after.enrolled) == (1, 1)
    assert (
        figures_of(
            exit_(dt.date(2025, 5, 1)),
            enrolment(dt.date(2025, 1, 1), funders=("jobcenter", "city")),
            query=FigureQuery(funder="city"),
        ).exited
        == 1
    )


def test_co_funded_stays_count_once_in_total_and_for_each_funder() -> None:
    facts = (enrolment(dt.date(2025, 1, 6), funders=("jobcenter", "city")),)
    assert figures_of(*facts).enrolled == 1
    assert figures_of(*facts, query=FigureQuery(funder="city")).enrolled == 1
    assert figures_of(*facts, query=FigureQuery(funder="jobcenter")).enrolled == 1
    assert figures_of(*facts, query=FigureQuery(funder="youth_office")).enrolled == 0


def test_facts_survive_their_json_form() -> None:
    facts = ParticipantFacts().with_fact(enrolment(dt.date(2025, 1, 6))).with_fact(exit_(dt.date(2025, 5, 1)))
    raw = facts.to_json()
    assert "__faust" not in str(raw)
    assert ParticipantFacts.from_json(raw) == facts


def test_rebuilding_gives_the_totals_kept_up_to_date() -> None:
    first = ParticipantFacts().with_fact(enrolment(dt.date(2025, 1, 6)))
    second = first.with_fact(exit_(dt.date(2025, 5, 1)))
    kept = LiveFigures()
    kept.record_change(ParticipantFacts(), first)
    kept.record_change(first, second)
    rebuilt = LiveFigures()
    rebuilt.rebuild([second])
    assert kept.figures(FigureQuery()) == rebuilt.figures(FigureQuery())
