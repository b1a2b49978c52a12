"""Who pays for a place: one funder or two, each named once, shares of 1-100 % that add up to 100;
the main funder is the one with the largest share. Every failed rule is named together."""

from __future__ import annotations

import pytest

from intake.domain.errors import FundingInvalid
from intake.domain.funding import Funding, FundingShare
from werkstattnetz_shared.events.vocabulary import Funder, LegalBasis

JOBCENTER = Funder.JOBCENTER
CITY = Funder.CITY
YOUTH_OFFICE = Funder.YOUTH_OFFICE


def share(funder: Funder, percent: int, basis: LegalBasis = LegalBasis.OTHER) -> FundingShare:
    return FundingShare(funder, basis, percent)


def refused_rules(*shares: FundingShare) -> list[str]:
    with pytest.raises(FundingInvalid) as refused:
        Funding.of(shares)
    assert refused.value.rule == "funding_invalid"
    assert all(failure.field == "funding" for failure in refused.value.failures())
    return [failure.rule for failure in refused.value.failures()]


def test_one_funder_pays_the_whole_place() -> None:
    funding = Funding.of([share(JOBCENTER, 100, LegalBasis.SGB2_16_ACTIVATION)])
    assert funding.main_funder is JOBCENTER
    assert funding.shares == (FundingShare(JOBCENTER, LegalBasis.SGB2_16_ACTIVATION, 100),)


def test_two_funders_share_a_place_and_the_larger_share_is_the_main_funder() -> None:
    funding = Funding.of([share(CITY, 30, LegalBasis.CITY), share(JOBCENTER, 70)])
    assert funding.main_funder is JOBCENTER
    assert [s.funder for s in funding.shares] == [CITY, JOBCENTER]  # the order given is kept


def test_on_equal_shares_the_first_named_is_the_main_funder() -> None:
    assert Funding.of([share(YOUTH_OFFICE, 50), share(CITY, 50)]).main_funder is YOUTH_OFFICE
    assert Funding.of([share(CITY, 50), share(YOUTH_OFFICE, 50)]).main_funder is CITY


def test_a_place_has_at_least_one_funder() -> None:
    assert refused_rules() == ["one_or_two_funders"]


def test_a_place_has_at_most_two_funders() -> None:
    rules = refused_rules(share(JOBCENTER, 40), share(CITY, 30), share(YOUTH_OFFICE, 30))
    assert rules == ["one_or_two_funders"]


def test_each_funder_is_named_once() -> None:
    rules = refused_rules(share(CITY, 50, LegalBasis.CITY), share(CITY, 50, LegalBasis.OWN_FUNDS))
    assert rules == ["each_funder_once"]


@pytest.mark.parametrize("shares", [(60,), (70, 40), (50, 49)])
def test_the_shares_add_up_to_100(shares: tuple[int, ...]) -> None:
    funders = (JOBCENTER, CITY)
    with pytest.raises(FundingInvalid) as refused:
        Funding.of([share(funder, percent) for funder, percent in zip(funders, shares, strict=False)])
    assert [f.rule for f in refused.value.failures()] == ["shares_add_up_to_100"]
    assert str(sum(shares)) in refused.value.failures()[0].message


@pytest.mark.parametrize("percent", [0, -10, 101])
def test_each_share_is_between_1_and_100(percent: int) -> None:
    rules = refused_rules(share(JOBCENTER, percent), share(CITY, 100 - percent))
    assert rules == ["share_between_1_and_100"]


def test_every_failed_rule_is_named_together() -> None:
    rules = refused_rules(share(CITY, 0), share(CITY, 20), share(CITY, 30))
    assert rules == [
        "one_or_two_funders",
        "each_funder_once",
        "share_between_1_and_100",
        "shares_add_up_to_100",
    ]
