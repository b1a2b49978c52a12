"""Request and response bodies of outcomes' API (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, Field

from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea
from werkstattnetz_shared.web.request_models import PlausibleDate, RequestModel


class ExitRequest(RequestModel):
    destination: Destination
    exit_date: PlausibleDate


class ExitRecorded(BaseModel):
    participant_id: uuid.UUID
    destination: Destination
    exit_date: dt.date
    integrated: bool = Field(description="Programme view: apprenticeship, employment or therapy.")


class ExitView(BaseModel):
    destination: Destination
    exit_date: dt.date
    integrated: bool
    work_area: WorkArea | None


class ParticipantOutcome(BaseModel):
    participant_id: uuid.UUID
    status: str = Field(description="enrolled, placed, waitlisted, placement_ended or exited")
    work_area: WorkArea | None = Field(description="Current placement's area, or the last one's.")
    waitlisted_for: WorkArea | None
    enrolled_on: dt.date
    funder: Funder
    age_band: AgeBand
    referral_source: ReferralSource
    exit: ExitView | None


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
