"""Urgent cases wait ahead of everyone else; a caseworker flags one with a reason code.

The codes stay in placement's database and its API for caseworkers; no event carries them.
"""

from __future__ import annotations

from enum import StrEnum


class UrgencyReason(StrEnum):
    CHILD_WELFARE_CONCERN = "child_welfare_concern"  # the youth office asks for a quick start
    RISK_OF_HOMELESSNESS = "risk_of_homelessness"
    COURT_ORDER = "court_order"  # a youth court's direction to take part
    BENEFIT_SANCTION_RISK = "benefit_sanction_risk"  # without a place the Jobcenter would sanction
    RETURN_AFTER_CRISIS = "return_after_crisis"
    OTHER = "other"
