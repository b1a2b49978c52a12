"""Request and response bodies of intake's API (not the event contracts, not the table rows)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, field_validator

from intake.domain.consent import ConsentGiver
from intake.domain.referral import ReferralStatus
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    ConsentPurpose,
    Funder,
    LegalBasis,
    ReferralSource,
    RejectionReason,
    WithdrawalReason,
    WorkArea,
)
from werkstattnetz_shared.web.request_models import (
    BirthDate,
    JsonInteger,
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
CustomerNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9 /-]{3,30}$")]
Organisation = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), NoControlCharacters
]
StaffSubject = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9._@:-]{1,200}$"),
    Field(description="A staff member's token subject (`sub`).", examples=["jana.sommer"]),
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


def _each_once(areas: list[WorkArea]) -> list[WorkArea]:
    if len(set(areas)) != len(areas):
        raise ValueError("each work area may be named only once")
    return areas


class ReferralRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "first_name": "Lea",
                    "last_name": "Müller",
                    "birth_date": "2007-03-14",
                    "phone": "+49 341 555 0101",
                    "referral_source": "jobcenter",
                    "referring_organisation": "Jobcenter Leipzig, Team U25",
                    "contact_person": "Frau Berger",
                    "received_on": "2026-11-20",
                    "preferred_work_areas": ["care", "garden_landscape"],
                }
            ]
        },
    )

    first_name: Name
    last_name: Name
    birth_date: BirthDate
    email: Email | None = None
    phone: Phone | None = None
    jobcenter_customer_number: CustomerNumber | None = Field(
        default=None, description="Many referred people have none; that is no reason to refuse them."
    )
    referral_source: ReferralSource
    referring_organisation: Organisation | None = None
    contact_person: Name | None = Field(
        default=None, description="Whom to call at the referring organisation."
    )
    received_on: PlausibleDate | None = Field(
        default=None, description="When the referral arrived; default today."
    )
    preferred_work_areas: list[WorkArea] = Field(min_length=1, max_length=4)
    same_person_as: uuid.UUID | None = Field(
        default=None,
        description="A returning person: the participant id intake answered with a 409 "
        "(`same_person_already_known`). The referral then belongs to that person — same id, re-entry.",
    )

    @field_validator("preferred_work_areas")
    @classmethod
    def _areas_once(cls, areas: list[WorkArea]) -> list[WorkArea]:
        return _each_once(areas)


class ReferralReceived(BaseModel):
    referral_id: uuid.UUID
    participant_id: uuid.UUID = Field(description="The person's pseudonymous id, stable from now on.")
    status: ReferralStatus
    re_entry: bool


class InterviewRequest(RequestModel):
    held_on: PlausibleDate | None = Field(default=None, description="Default today.")
    held_by: StaffSubject | None = Field(default=None, description="Default: the caller.")
    has_completed_vocational_training: StrictBool
    is_employed: StrictBool
    note: Note | None = None


class RejectionRequest(RequestModel):
    reason: RejectionReason
    rejected_on: PlausibleDate | None = Field(default=None, description="Default today.")


class WithdrawalRequest(RequestModel):
    reason: WithdrawalReason
    withdrawn_on: PlausibleDate | None = Field(default=None, description="Default today.")


class FundingShareModel(RequestModel):
    funder: Funder
    legal_basis: LegalBasis
    share_percent: Annotated[int, Field(ge=1, le=100), JsonInteger]


class EnrolRequest(RequestModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "funding": [
                        {"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 70},
                        {"funder": "city", "legal_basis": "city", "share_percent": 30},
                    ],
                    "caseworker": "jana.sommer",
                }
            ]
        },
    )

    enrolled_on: PlausibleDate | None = Field(default=None, description="Default today.")
    funding: list[FundingShareModel] = Field(
        min_length=1, max_length=2, description="One funder, or two whose shares add up to 100."
    )
    caseworker: StaffSubject | None = Field(default=None, description="Responsible caseworker from now on.")


class FundingShareView(BaseModel):
    funder: Funder
    legal_basis: LegalBasis
    share_percent: int


class EnrolmentView(BaseModel):
    enrolment_id: uuid.UUID
    enrolled_on: dt.date
    age_band: AgeBand
    main_funder: Funder
    funding: list[FundingShareView]
    ended_on: dt.date | None = Field(description="The exit outcomes recorded, once intake heard of it.")


class EnrolmentDone(BaseModel):
    referral_id: uuid.UUID
    participant_id: uuid.UUID
    status: ReferralStatus
    enrolment: EnrolmentView


class InterviewView(BaseModel):
    held_on: dt.date
    held_by: str
    has_completed_vocational_training: bool
    is_employed: bool
    note: str | None


class ClosingView(BaseModel):
    on: dt.date
    reason: str = Field(description="A rejection or withdrawal reason code.")


class PersonView(BaseModel):
    """Personal data: only for staff allowed to see this person; every read is audited."""

    participant_id: uuid.UUID
    first_name: str | None = Field(description="null once erased")
    last_name: str | None
    birth_date: dt.date | None
    caseworker: str | None
    erased: bool


class ReferralView(BaseModel):
    referral_id: uuid.UUID
    person: PersonView
    status: ReferralStatus
    referral_source: ReferralSource
    referring_organisation: str | None
    contact_person: str | None
    received_on: dt.date
    preferred_work_areas: list[WorkArea]
    re_entry: bool
    interview: InterviewView | None
    closing: ClosingView | None
    enrolment: EnrolmentView | None


class ReferralListItem(BaseModel):
    referral_id: uuid.UUID
    person: PersonView
    status: ReferralStatus
    referral_source: ReferralSource
    referring_organisation: str | None
    received_on: dt.date
    re_entry: bool
    main_funder: Funder | None
    enrolled_on: dt.date | None


class ReferralPage(BaseModel):
    items: list[ReferralListItem]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last.")


class ParticipantListItem(BaseModel):
    person: PersonView
    referral_id: uuid.UUID
    enrolled_on: dt.date
    main_funder: Funder
    ended_on: dt.date | None


class ParticipantPage(BaseModel):
    items: list[ParticipantListItem]
    next_cursor: str | None


class ConsentRequest(RequestModel):
    purpose: ConsentPurpose
    given_on: PlausibleDate | None = Field(default=None, description="Default today.")
    given_by: ConsentGiver
    guardian_name: Name | None = Field(default=None, description="Required when a guardian consents.")


class ConsentWithdrawalRequest(RequestModel):
    withdrawn_on: PlausibleDate | None = Field(default=None, description="Default today.")


class ConsentView(BaseModel):
    consent_id: uuid.UUID
    purpose: ConsentPurpose
    given_on: dt.date
    given_by: ConsentGiver
    guardian_name: str | None
    withdrawn_on: dt.date | None


class ParticipantView(BaseModel):
    participant_id: uuid.UUID
    first_name: str | None = Field(description="null once erased")
    last_name: str | None
    birth_date: dt.date | None
    email: str | None
    phone: str | None
    jobcenter_customer_number: str | None
    caseworker: str | None
    erased_on: dt.date | None
    data_processing_consent_withdrawn: bool = Field(
        description="Consent to data processing was given and withdrawn: the person cannot be enrolled."
    )
    consents: list[ConsentView]
    referrals: list[ReferralListItem]


class CaseworkerRequest(RequestModel):
    caseworker: StaffSubject


class CaseworkerView(BaseModel):
    participant_id: uuid.UUID
    caseworker: str


class ErasureDone(BaseModel):
    participant_id: uuid.UUID
    erased_on: dt.date


class SamePersonCandidates(BaseModel):
    items: list[PersonView]


class AuditEntryView(BaseModel):
    entry_id: int
    at: dt.datetime
    staff_subject: str
    action: str
    participant_id: uuid.UUID
    referral_id: uuid.UUID | None


class AuditPage(BaseModel):
    items: list[AuditEntryView]
    next_before: int | None = Field(description="Pass as `before` for the next (older) page.")
