"""Versioned event contracts: the `data` part of each integration event.

Within a version only additive, optional changes are allowed; a breaking change gets a new class
with `event_version = 2`, published side by side with version 1 until consumers moved. The JSON
Schemas under `schemas/` are generated from these classes and checked in (see `schema_export`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from werkstattnetz_shared.events.envelope import EventEnvelope
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    ConsentPurpose,
    Destination,
    Funder,
    LegalBasis,
    PlacementEndReason,
    ReferralSource,
    RejectionReason,
    WithdrawalReason,
    WorkArea,
)


class EventData(BaseModel):
    """Base of every contract; extra fields are ignored so additive changes never break readers."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    event_version: ClassVar[int]


class FundingShare(BaseModel):
    """One funder's part of a place: who pays, under which legal basis, which share (no amounts)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    funder: Funder
    legal_basis: LegalBasis
    share_percent: int = Field(ge=1, le=100)


class ReferralReceived(EventData):
    """A young person was referred (or came on their own). The participant id is minted here and
    stays the person's key through enrolment and any later re-entry."""

    event_type: ClassVar[str] = "ReferralReceived"
    event_version: ClassVar[int] = 1

    referral_source: ReferralSource
    received_on: dt.date
    age_band: AgeBand = Field(description="Age on the day received.")
    preferred_work_areas: Annotated[list[WorkArea], Field(min_length=1, max_length=4)]
    re_entry: bool = Field(default=False, description="A former participant referred again.")


class ReferralRejected(EventData):
    event_type: ClassVar[str] = "ReferralRejected"
    event_version: ClassVar[int] = 1

    reason: RejectionReason
    rejected_on: dt.date


class ReferralWithdrawn(EventData):
    event_type: ClassVar[str] = "ReferralWithdrawn"
    event_version: ClassVar[int] = 1

    reason: WithdrawalReason
    withdrawn_on: dt.date


class ParticipantEnrolled(EventData):
    """Intake enrolled a referred young person; carries only coarse, non-identifying attributes.

    `funder` is the main funder (the largest share); `funding` lists every share. `enrolment_id`
    tells one stay in the programme from a later re-entry of the same participant.
    """

    event_type: ClassVar[str] = "ParticipantEnrolled"
    event_version: ClassVar[int] = 1

    age_band: AgeBand
    referral_source: ReferralSource
    funder: Funder
    preferred_work_areas: Annotated[list[WorkArea], Field(min_length=1, max_length=4)]
    enrolled_on: dt.date
    # Added within v1 (optional, so older events stay valid):
    enrolment_id: uuid.UUID | None = None
    re_entry: bool = False
    funding: Annotated[list[FundingShare], Field(max_length=2)] | None = None


class ConsentWithdrawn(EventData):
    """The person (or their guardian) withdrew a consent; without data-processing consent they
    cannot be enrolled again."""

    event_type: ClassVar[str] = "ConsentWithdrawn"
    event_version: ClassVar[int] = 1

    purpose: ConsentPurpose
    withdrawn_on: dt.date


class CaseworkerAssigned(EventData):
    """Who is responsible for the participant now: the staff member's token subject, so other
    services can address the right person."""

    event_type: ClassVar[str] = "CaseworkerAssigned"
    event_version: ClassVar[int] = 1

    caseworker: str = Field(min_length=1, max_length=200)
    assigned_on: dt.date


class ParticipantDataErased(EventData):
    """The person's personal data was erased (GDPR Art. 17): every service removes what it keeps
    about them beyond anonymous counts (free text, contact data)."""

    event_type: ClassVar[str] = "ParticipantDataErased"
    event_version: ClassVar[int] = 1

    erased_on: dt.date


class ParticipantPlaced(EventData):
    event_type: ClassVar[str] = "ParticipantPlaced"
    event_version: ClassVar[int] = 1

    work_area: WorkArea
    placed_on: dt.date
    from_waitlist: bool


class ParticipantWaitlisted(EventData):
    event_type: ClassVar[str] = "ParticipantWaitlisted"
    event_version: ClassVar[int] = 1

    work_area: WorkArea
    position: int = Field(ge=1, description="1 = next to be offered a seat.")


class PlacementEnded(EventData):
    event_type: ClassVar[str] = "PlacementEnded"
    event_version: ClassVar[int] = 1

    work_area: WorkArea
    ended_on: dt.date
    reason: PlacementEndReason


class ParticipantExited(EventData):
    """Every exit, whatever the destination. `work_area` is None when the person was never placed."""

    event_type: ClassVar[str] = "ParticipantExited"
    event_version: ClassVar[int] = 1

    destination: Destination
    exit_date: dt.date
    integrated: bool
    work_area: WorkArea | None = None
    funder: Funder | None = None


class IntegrationAchieved(EventData):
    """The exit went into apprenticeship, employment or therapy (the programme's headline result)."""

    event_type: ClassVar[str] = "IntegrationAchieved"
    event_version: ClassVar[int] = 1

    destination: Destination
    exit_date: dt.date
    work_area: WorkArea | None = None
    funder: Funder | None = None


class NotificationSent(EventData):
    event_type: ClassVar[str] = "NotificationSent"
    event_version: ClassVar[int] = 1

    notification_kind: str = Field(min_length=1, description="placement, waitlisting, integration, …")
    channel: str = Field(min_length=1, description="e.g. email")
    trigger_event_id: uuid.UUID
    trigger_event_type: str


EVENT_CONTRACTS: dict[tuple[str, int], type[EventData]] = {
    (contract.event_type, contract.event_version): contract
    for contract in (
        ReferralReceived,
        ReferralRejected,
        ReferralWithdrawn,
        ParticipantEnrolled,
        ConsentWithdrawn,
        CaseworkerAssigned,
        ParticipantDataErased,
        ParticipantPlaced,
        ParticipantWaitlisted,
        PlacementEnded,
        ParticipantExited,
        IntegrationAchieved,
        NotificationSent,
    )
}


class UnknownEventContractError(LookupError):
    """The envelope names a type/version pair no contract describes."""


def parse_event_data(envelope: EventEnvelope) -> EventData:
    """Validate the envelope's data against its contract; raises on unknown or invalid data."""
    contract = EVENT_CONTRACTS.get((envelope.event_type, envelope.event_version))
    if contract is None:
        raise UnknownEventContractError(f"no contract for {envelope.event_type} v{envelope.event_version}")
    return contract.model_validate(envelope.data)
