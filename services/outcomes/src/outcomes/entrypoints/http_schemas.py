"""Request and response bodies of outcomes' API (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from outcomes.domain.destinations import JobcenterCategory
from outcomes.entrypoints.follow_up_schemas import FollowUpStatusView, RetentionView
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    ExitReason,
    Funder,
    LegalBasis,
    NextStep,
    ReferralSource,
    WorkArea,
)
from werkstattnetz_shared.web.request_models import PlausibleDate, RequestModel


class ExitRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "destination": "apprenticeship",
                    "exit_date": "2026-11-20",
                    "reason": "found_placement",
                    "next_step": "dual_apprenticeship",
                },
                {"destination": "dropout", "exit_date": "2026-11-20", "reason": "moved_away"},
            ]
        },
    )

    destination: Destination
    exit_date: PlausibleDate
    reason: ExitReason | None = Field(
        default=None,
        description="Why the stay ended. 422 `exit_reason_must_fit_destination`: found_placement with "
        "dropout/unknown, or dropout with any other destination.",
    )
    next_step: NextStep | None = Field(
        default=None,
        description="Integrations only: apprenticeship → dual_apprenticeship, school_based_training, "
        "non_company_apprenticeship; employment → employment_subject_to_social_insurance, "
        "subsidised_employment; therapy → therapy. No employer or school names, anywhere.",
    )


class ExitRecorded(BaseModel):
    participant_id: uuid.UUID
    destination: Destination
    exit_date: dt.date
    integrated: bool = Field(description="Programme view: apprenticeship, employment or therapy.")
    jobcenter_integrated: bool = Field(description="Jobcenter view: apprenticeship or employment.")
    jobcenter_category: JobcenterCategory
    reason: ExitReason | None
    next_step: NextStep | None
    follow_up: FollowUpStatusView = Field(description="The six-month follow-up, scheduled with the exit.")


class ExitView(BaseModel):
    destination: Destination
    exit_date: dt.date
    integrated: bool
    jobcenter_integrated: bool
    jobcenter_category: JobcenterCategory
    reason: ExitReason | None
    next_step: NextStep | None
    work_area: WorkArea | None
    follow_up: FollowUpStatusView | None = Field(description="Null only while the exit is being recorded.")


class FundingShareView(BaseModel):
    funder: Funder
    legal_basis: LegalBasis
    share_percent: int


class EarlierStayView(BaseModel):
    stay: int
    enrolment_id: uuid.UUID | None
    enrolled_on: dt.date
    funder: Funder
    exit: ExitView | None = Field(
        description="Null only if intake enrolled the person again without an exit recorded here."
    )


class ParticipantOutcome(BaseModel):
    """The latest stay in the programme (a participant who came back has several)."""

    participant_id: uuid.UUID
    status: str = Field(description="enrolled, placed, waitlisted, placement_ended or exited")
    work_area: WorkArea | None = Field(description="Current placement's area, or the last one's.")
    waitlisted_for: WorkArea | None
    enrolled_on: dt.date
    funder: Funder = Field(description="The main funder (the largest share).")
    age_band: AgeBand
    referral_source: ReferralSource
    exit: ExitView | None
    stay: int = Field(description="1 = the first stay, 2 = after the first re-entry, …")
    enrolment_id: uuid.UUID | None = Field(description="Null for enrolments announced without one.")
    re_entry: bool
    funding: list[FundingShareView] = Field(
        description="Every funder's share of the place; empty where intake named only the funder."
    )
    earlier_stays: list[EarlierStayView] = Field(description="The stays before this one, oldest first.")


class ReportPeriodView(BaseModel):
    exited_from: dt.date | None
    exited_to: dt.date | None


class RateLineView(BaseModel):
    exits: int
    integrations: int
    integration_rate: float | None


class IntegrationReportView(BaseModel):
    period: ReportPeriodView
    funder: Funder | None
    exits: int
    integrations: int
    integration_rate: float | None = Field(description="Programme view, 0..1; null without exits.")
    jobcenter_integrations: int
    jobcenter_integration_rate: float | None = Field(
        description="Apprenticeship and employment only (therapy not counted), over all exits."
    )
    by_destination: dict[str, int]
    by_work_area: dict[str, RateLineView] = Field(description='Every work area, plus "none" = never placed.')
    co_funded_exits: int = Field(
        description="How many of the counted exits were of co-funded places. Filtered by a funder, a "
        "co-funded exit counts in full for each funder named, so funders' reports together count it "
        "more than once."
    )
    by_jobcenter_category: dict[str, int] = Field(
        description="The Jobcenter's filing of each destination: training, employment, education, measure, "
        "other (therapy), none (dropout), unknown."
    )
    by_reason: dict[str, int] = Field(description='Every exit reason, plus "not_recorded".')
    by_next_step: dict[str, int] = Field(
        description='The integrations (programme view) by kind of next step, plus "not_recorded".'
    )
    follow_ups: RetentionView
