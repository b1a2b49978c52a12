"""Who pays for a place: one funder, or two sharing it, each under a legal basis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intake.domain.errors import FundingInvalid
from werkstattnetz_shared.events.vocabulary import Funder, LegalBasis
from werkstattnetz_shared.rules import RuleFailure

MAX_FUNDERS = 2


@dataclass(frozen=True)
class FundingShare:
    funder: Funder
    legal_basis: LegalBasis
    share_percent: int


@dataclass(frozen=True)
class Funding:
    shares: tuple[FundingShare, ...]

    @classmethod
    def of(cls, shares: Sequence[FundingShare]) -> Funding:
        failures = _failures(shares)
        if failures:
            raise FundingInvalid("; ".join(failure.message for failure in failures), failures)
        return cls(tuple(shares))

    @property
    def main_funder(self) -> Funder:
        """The funder with the largest share (the first named on a tie)."""
        return max(self.shares, key=lambda share: share.share_percent).funder


def _failures(shares: Sequence[FundingShare]) -> list[RuleFailure]:
    failures = []
    if not 1 <= len(shares) <= MAX_FUNDERS:
        failures.append(
            RuleFailure("one_or_two_funders", "funding", f"a place has 1 or 2 funders, not {len(shares)}")
        )
    if len({share.funder for share in shares}) != len(shares):
        failures.append(RuleFailure("each_funder_once", "funding", "each funder may be named only once"))
    if any(not 1 <= share.share_percent <= 100 for share in shares):
        failures.append(RuleFailure("share_between_1_and_100", "funding", "each share is 1 to 100 percent"))
    total = sum(share.share_percent for share in shares)
    if shares and total != 100:
        failures.append(
            RuleFailure("shares_add_up_to_100", "funding", f"the shares add up to {total} percent, not 100")
        )
    return failures
