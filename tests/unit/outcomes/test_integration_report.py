"""The integration report computed over exit records, checked with plain numbers."""

import datetime as dt
from collections.abc import Iterable

import pytest

from outcomes.domain.errors import PeriodMustRunForward
from outcomes.domain.report import NEVER_PLACED, RateLine, ReportPeriod, compute_integration_report
from outcomes.domain.stay import Exit
from werkstattnetz_shared.events.vocabulary import Destination, Funder, WorkArea

DAY = dt.date(2026, 6, 30)
PERIOD = ReportPeriod(exited_from=dt.date(2026, 1, 1), exited_to=dt.date(2026, 12, 31))


def exits(destination: Destination, count: int, work_area: WorkArea | None = WorkArea.CARE) -> Iterable[Exit]:
    return [Exit.into(destination, DAY, work_area, Funder.JOBCENTER) for _ in range(count)]


def test_ten_exits_six_integrated_make_a_rate_of_six_tenths() -> None:
    records = [
        *exits(Destination.APPRENTICESHIP, 3),
        *exits(Destination.EMPLOYMENT, 2),
        *exits(Destination.THERAPY, 1),
        *exits(Destination.DROPOUT, 4),
    ]
    report = compute_integration_report(records, PERIOD)
    assert (report.exits, report.integrations, report.integration_rate) == (10, 6, 0.6)


def test_the_jobcenter_rate_does_not_count_therapy() -> None:
    records = [
        *exits(Destination.APPRENTICESHIP, 3),
        *exits(Destination.EMPLOYMENT, 2),
        *exits(Destination.THERAPY, 1),
        *exits(Destination.DROPOUT, 4),
    ]
    report = compute_integration_report(records, PERIOD)
    assert report.jobcenter_integrations == 5
    assert report.jobcenter_integration_rate == 0.5


def test_school_counts_in_neither_view() -> None:
    report = compute_integration_report(
        [*exits(Destination.SCHOOL, 2), *exits(Destination.EMPLOYMENT, 2)], PERIOD
    )
    assert (report.integration_rate, report.jobcenter_integration_rate) == (0.5, 0.5)


def test_rates_are_rounded_to_four_decimals() -> None:
    report = compute_integration_report(
        [*exits(Destination.THERAPY, 2), *exits(Destination.UNKNOWN, 1)], PERIOD
    )
    assert report.integration_rate == 0.6667
    assert report.jobcenter_integration_rate == 0.0


def test_without_exits_the_rates_are_none_and_every_bucket_is_listed_empty() -> None:
    report = compute_integration_report([], PERIOD, Funder.CITY)
    assert (report.exits, report.integrations) == (0, 0)
    assert report.integration_rate is None
    assert report.jobcenter_integration_rate is None
    assert report.by_destination == dict.fromkeys(Destination, 0)
    assert set(report.by_work_area) == {*(area.value for area in WorkArea), NEVER_PLACED}
    assert all(line == RateLine(0, 0, None) for line in report.by_work_area.values())
    assert (report.period, report.funder) == (PERIOD, Funder.CITY)


def test_exits_are_counted_by_destination() -> None:
    records = [
        *exits(Destination.OTHER_MEASURE, 2),
        *exits(Destination.THERAPY, 1),
        *exits(Destination.UNKNOWN, 3),
    ]
    report = compute_integration_report(records, PERIOD)
    assert report.by_destination == {
        Destination.APPRENTICESHIP: 0,
        Destination.EMPLOYMENT: 0,
        Destination.THERAPY: 1,
        Destination.SCHOOL: 0,
        Destination.OTHER_MEASURE: 2,
        Destination.DROPOUT: 0,
        Destination.UNKNOWN: 3,
    }


def test_exits_are_rated_by_work_area_with_never_placed_as_none() -> None:
    records = [
        *exits(Destination.EMPLOYMENT, 3, WorkArea.BIKE_METAL),
        *exits(Destination.DROPOUT, 1, WorkArea.BIKE_METAL),
        *exits(Destination.THERAPY, 1, WorkArea.CARE),
        *exits(Destination.DROPOUT, 2, None),
        *exits(Destination.APPRENTICESHIP, 2, None),
    ]
    by_area = compute_integration_report(records, PERIOD).by_work_area
    assert by_area[WorkArea.BIKE_METAL.value] == RateLine(exits=4, integrations=3, integration_rate=0.75)
    assert by_area[WorkArea.CARE.value] == RateLine(exits=1, integrations=1, integration_rate=1.0)
    assert by_area[WorkArea.GARDEN_LANDSCAPE.value] == RateLine(
        exits=0, integrations=0, integration_rate=None
    )
    assert by_area[NEVER_PLACED] == RateLine(exits=4, integrations=2, integration_rate=0.5)


def test_the_integrated_flag_decided_at_exit_is_what_is_counted() -> None:
    # An exit recorded under an older classification keeps the verdict it was published with.
    recorded_earlier = Exit(
        destination=Destination.SCHOOL, exit_date=DAY, integrated=True, work_area=None, funder=Funder.CITY
    )
    report = compute_integration_report([recorded_earlier], PERIOD)
    assert (report.integrations, report.jobcenter_integrations) == (1, 0)


def test_a_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(PeriodMustRunForward) as raised:
        ReportPeriod(exited_from=dt.date(2026, 2, 1), exited_to=dt.date(2026, 1, 31))
    assert raised.value.field == "exited_from"


@pytest.mark.parametrize(
    ("exited_from", "exited_to"),
    [(None, None), (dt.date(2026, 1, 1), None), (None, dt.date(2026, 1, 1)), (DAY, DAY)],
)
def test_open_and_one_day_periods_are_allowed(exited_from: dt.date | None, exited_to: dt.date | None) -> None:
    assert ReportPeriod(exited_from, exited_to).exited_to == exited_to


def funded_by(destination: Destination, *funders: Funder, stay: int = 1) -> Exit:
    return Exit.into(destination, DAY, WorkArea.CARE, funders[0], funders, stay)


def test_a_co_funded_exit_counts_in_full_for_each_funder_named() -> None:
    records = [
        funded_by(Destination.APPRENTICESHIP, Funder.JOBCENTER),
        funded_by(Destination.EMPLOYMENT, Funder.JOBCENTER, Funder.CITY),  # co-funded
        funded_by(Destination.DROPOUT, Funder.CITY),
        funded_by(Destination.DROPOUT, Funder.YOUTH_OFFICE),
    ]
    everyone = compute_integration_report(records, PERIOD)
    jobcenter = compute_integration_report(records, PERIOD, Funder.JOBCENTER)
    city = compute_integration_report(records, PERIOD, Funder.CITY)
    other = compute_integration_report(records, PERIOD, Funder.OTHER)

    assert (everyone.exits, everyone.integrations, everyone.co_funded_exits) == (4, 2, 1)
    assert (jobcenter.exits, jobcenter.integrations, jobcenter.integration_rate) == (2, 2, 1.0)
    assert (city.exits, city.integrations, city.integration_rate) == (2, 1, 0.5)
    assert (jobcenter.co_funded_exits, city.co_funded_exits, other.exits) == (1, 1, 0)


def test_an_exit_recorded_before_funding_shares_counts_for_its_funder() -> None:
    older = Exit(
        destination=Destination.EMPLOYMENT, exit_date=DAY, integrated=True, work_area=None, funder=Funder.CITY
    )
    report = compute_integration_report([older], PERIOD, Funder.CITY)
    assert (report.exits, report.co_funded_exits) == (1, 0)


def test_each_stays_exit_of_a_participant_who_came_back_counts() -> None:
    first = funded_by(Destination.DROPOUT, Funder.JOBCENTER, stay=1)
    second = funded_by(Destination.APPRENTICESHIP, Funder.JOBCENTER, stay=2)
    report = compute_integration_report([first, second], PERIOD)
    assert (report.exits, report.integrations, report.integration_rate) == (2, 1, 0.5)
