"""Request and response bodies of intake's API (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, Field, StrictBool, StringConstraints, field_validator

from werkstattnetz_shared.events.vocabulary import Funder, ReferralSource, WorkArea
from werkstattnetz_shared.web.request_models import (
    BirthDate,
    NoControlCharacters,
    PlausibleDate,
    RequestModel,
)

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoControlCharacters
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    NoControlCharacters,  # an address goes into mail headers and onto screens like a name
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()/-]{5,30}$")]


class ReferralRequest(RequestModel):
    first_name: Name
    last_name: Name
    birth_date: BirthDate
    email: Email | None = None
    phone: Phone | None = None
    referral_source: ReferralSource
    funder: Funder
    preferred_work_areas: list[WorkArea] = Field(min_length=1, max_length=4)
    # Consent is a legal question: only JSON `true`/`false`, never "yes" or 1.
    consent_to_data_processing: StrictBool

    @field_validator("preferred_work_areas")
    @classmethod
    def _each_area_once(cls, areas: list[WorkArea]) -> list[WorkArea]:
        if len(set(areas)) != len(areas):
            raise ValueError("each work area may be named only once")
        return areas


class ReferralReceived(BaseModel):
    referral_id: uuid.UUID
    status: str


class EnrolRequest(RequestModel):
    enrolled_on: PlausibleDate | None = Field(
        default=None,
        description="Defaults to today; not in the future, not before the day the referral was received.",
    )


class EnrolmentDone(BaseModel):
    participant_id: uuid.UUID
    status: str


class ReferralSummary(BaseModel):
    referral_id: uuid.UUID
    status: str
    referral_source: ReferralSource
    funder: Funder
    preferred_work_areas: list[WorkArea]
    consent_to_data_processing: bool
    received_at: dt.datetime
    participant_id: uuid.UUID | None


class ReferralPage(BaseModel):
    items: list[ReferralSummary]
    next_after: uuid.UUID | None = Field(description="Pass as `after` to get the next page.")


class ParticipantView(BaseModel):
    participant_id: uuid.UUID
    referral_id: uuid.UUID
    status: str
    first_name: str
    last_name: str
    birth_date: dt.date
    email: str | None
    phone: str | None
    referral_source: ReferralSource
    funder: Funder
    preferred_work_areas: list[WorkArea]
    enrolled_on: dt.date
    age_band: str
