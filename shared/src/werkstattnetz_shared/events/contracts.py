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
    ExitReason,
    FollowUpSituation,
    Funder,
    LegalBasis,
    NextStep,
    OfferDeclineReason,
    PlacementEndReason,
    PlacementKind,
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
    """The person sits in a workshop from `placed_on`.

    A placement on enrolment names the enrolment's event as its causation id; any other
    (`kind` other than `on_enrolment`) continues the stay of the person's earlier events.
    """

    event_type: ClassVar[str] = "ParticipantPlaced"
    event_version: ClassVar[int] = 1

    work_area: WorkArea
    placed_on: dt.date
    from_waitlist: bool
    # Added within v1 (optional, so older events stay valid):
    workshop_id: uuid.UUID | None = Field(default=None, description="Which workshop of the area.")
    kind: PlacementKind | None = Field(default=None, description="How the seat was taken.")
    offer_id: uuid.UUID | None = Field(default=None, description="The accepted offer, if any.")
    workshop_lead: str | None = Field(
        default=None,
        max_length=200,
        description="The workshop's lead instructor (staff token subject) when the seat was taken; "
        "notifications tells them.",
    )


class ParticipantWaitlisted(EventData):
    event_type: ClassVar[str] = "ParticipantWaitlisted"
    event_version: ClassVar[int] = 1

    work_area: WorkArea
    position: int = Field(ge=1, description="1 = next to be offered a seat.")


class PlacementEnded(EventData):
    """The person no longer sits in the workshop. Only `exited` ends the stay in the programme;
    after `transferred` a ParticipantPlaced for the new workshop follows."""

    event_type: ClassVar[str] = "PlacementEnded"
    event_version: ClassVar[int] = 1

    work_area: WorkArea
    ended_on: dt.date
    reason: PlacementEndReason
    # Added within v1 (optional, so older events stay valid):
    workshop_id: uuid.UUID | None = None


class PlacementOffered(EventData):
    """A free seat is offered to the person next in line on the area's waitlist. It holds the
    seat until it is accepted (ParticipantPlaced), declined (OfferDeclined) or expires
    (OfferExpired) at `expires_at`."""

    event_type: ClassVar[str] = "PlacementOffered"
    event_version: ClassVar[int] = 1

    offer_id: uuid.UUID
    workshop_id: uuid.UUID
    work_area: WorkArea
    offered_at: dt.datetime
    expires_at: dt.datetime


class OfferDeclined(EventData):
    """Staff declined the offer for the person (or the person left while holding it); the seat
    goes to the next in line. The person keeps their place on the waitlist."""

    event_type: ClassVar[str] = "OfferDeclined"
    event_version: ClassVar[int] = 1

    offer_id: uuid.UUID
    workshop_id: uuid.UUID
    work_area: WorkArea
    reason: OfferDeclineReason
    declined_at: dt.datetime


class OfferExpired(EventData):
    """Nobody answered the offer in time; the seat goes to the next in line. The person keeps
    their place on the waitlist."""

    event_type: ClassVar[str] = "OfferExpired"
    event_version: ClassVar[int] = 1

    offer_id: uuid.UUID
    workshop_id: uuid.UUID
    work_area: WorkArea
    expired_at: dt.datetime = Field(description="The deadline that passed.")


class AbsenceThresholdReached(EventData):
    """A participant was absent without excuse on `unexcused_days` recorded attendance days in a row
    (days with no record, such as weekends, do not break the run; any other status does). Published
    once per run, when it first reaches the configured threshold, so that the responsible
    caseworker can step in."""

    event_type: ClassVar[str] = "AbsenceThresholdReached"
    event_version: ClassVar[int] = 1

    workshop_id: uuid.UUID = Field(description="The workshop the run's last day was recorded in.")
    work_area: WorkArea
    streak_started_on: dt.date = Field(description="The run's first unexcused day.")
    streak_ended_on: dt.date = Field(description="The run's last unexcused day when it was reported.")
    unexcused_days: int = Field(ge=1, description="Unexcused days in the run when it was reported.")
    threshold: int = Field(ge=1, description="The configured number of days in a row that is reported.")


class ParticipantExited(EventData):
    """Every exit, whatever the destination. `work_area` is None when the person was never placed."""

    event_type: ClassVar[str] = "ParticipantExited"
    event_version: ClassVar[int] = 1

    destination: Destination
    exit_date: dt.date
    integrated: bool
    work_area: WorkArea | None = None
    funder: Funder | None = None
    # Added within v1 (optional, so older events stay valid):
    jobcenter_integrated: bool | None = Field(
        default=None, description="The Jobcenter's view: apprenticeship or employment (not therapy)."
    )
    reason: ExitReason | None = Field(default=None, description="Why the stay ended, where recorded.")
    next_step: NextStep | None = Field(default=None, description="An integration's kind of next step.")
    imported: bool | None = Field(
        default=None,
        description="True for an exit taken over from the programme's history (HistoricalStayImported): "
        "a fact for the figures, nothing anyone needs to act on now.",
    )


class IntegrationAchieved(EventData):
    """The exit went into apprenticeship, employment or therapy (the programme's headline result)."""

    event_type: ClassVar[str] = "IntegrationAchieved"
    event_version: ClassVar[int] = 1

    destination: Destination
    exit_date: dt.date
    work_area: WorkArea | None = None
    funder: Funder | None = None
    # Added within v1 (optional, so older events stay valid):
    jobcenter_integrated: bool | None = Field(
        default=None, description="The Jobcenter's view: apprenticeship or employment (not therapy)."
    )
    reason: ExitReason | None = Field(default=None, description="Why the stay ended, where recorded.")
    next_step: NextStep | None = Field(default=None, description="The kind of next step, where recorded.")
    imported: bool | None = Field(
        default=None,
        description="True for an exit taken over from the programme's history (HistoricalStayImported): "
        "a fact for the figures, nothing anyone needs to act on now.",
    )


class FollowUpDue(EventData):
    """The six-month follow-up of an exit fell due: the caseworker should ask where the person is
    now. Published exactly once per exit, by outcomes' follow-up timer."""

    event_type: ClassVar[str] = "FollowUpDue"
    event_version: ClassVar[int] = 1

    follow_up_id: uuid.UUID
    exit_date: dt.date
    due_on: dt.date
    destination: Destination
    integrated: bool = Field(description="The exit counted as integrated in the programme's view.")
    jobcenter_integrated: bool = Field(description="The exit counted as integrated in the Jobcenter's view.")
    work_area: WorkArea | None = None
    funder: Funder


class FollowUpRecorded(EventData):
    """The caseworker recorded where the person is at the follow-up (once per follow-up).

    The six-month retention rate counts integrated exits whose follow-up says `still_in_training`
    or `still_employed`, over the integrated exits whose follow-up was recorded."""

    event_type: ClassVar[str] = "FollowUpRecorded"
    event_version: ClassVar[int] = 1

    follow_up_id: uuid.UUID
    situation: FollowUpSituation
    recorded_on: dt.date
    exit_date: dt.date
    due_on: dt.date
    destination: Destination
    integrated: bool = Field(description="The exit counted as integrated in the programme's view.")
    jobcenter_integrated: bool = Field(description="The exit counted as integrated in the Jobcenter's view.")
    next_step: NextStep | None = None
    work_area: WorkArea | None = None
    funder: Funder
    funders: list[Funder] = Field(min_length=1, description="Every funder of the place, the main one first.")


class NotificationSent(EventData):
    event_type: ClassVar[str] = "NotificationSent"
    event_version: ClassVar[int] = 1

    notification_kind: str = Field(min_length=1, description="placement, waitlisting, integration, …")
    channel: str = Field(min_length=1, description="email or webhook")
    trigger_event_id: uuid.UUID
    trigger_event_type: str
    # Added within v1 (optional, so older events stay valid):
    delivery_id: uuid.UUID | None = Field(default=None, description="The delivery in notifications' log.")
    recipient_kind: str | None = Field(default=None, description="staff, office or webhook")


class NotificationFailed(EventData):
    """A delivery was given up: a permanent refusal, or every attempt failed. An admin can retry it
    (`POST /v1/deliveries/{id}/retry`); names no address, only the kind of recipient."""

    event_type: ClassVar[str] = "NotificationFailed"
    event_version: ClassVar[int] = 1

    delivery_id: uuid.UUID
    notification_kind: str = Field(min_length=1)
    channel: str = Field(min_length=1, description="email or webhook")
    recipient_kind: str = Field(min_length=1, description="staff, office or webhook")
    trigger_event_id: uuid.UUID
    trigger_event_type: str
    attempts: int = Field(ge=1)
    permanent: bool = Field(
        description="Refused for good (e.g. SMTP 5xx, HTTP 4xx), not just out of attempts."
    )
    last_error: str = Field(max_length=300, description="The last failure, shortened.")


class HistoricalStayImported(EventData):
    """A stay from before the system (a programme's spreadsheet), imported by an admin through
    intake. One event per stay, keyed by the participant id; several stays of one person share it
    (`re_entry` marks the later ones). A stay with `exit_date` is history; one without is still
    running. Only coarse facts: intake keeps no personal data of imported people at all."""

    event_type: ClassVar[str] = "HistoricalStayImported"
    event_version: ClassVar[int] = 1

    enrolment_id: uuid.UUID
    re_entry: bool
    referred_on: dt.date
    referral_source: ReferralSource
    funder: Funder
    age_band: AgeBand
    enrolled_on: dt.date
    work_area: WorkArea
    placed_on: dt.date | None = Field(default=None, description="When the person got a workshop seat.")
    exit_date: dt.date | None = Field(default=None, description="None while the stay is still running.")
    destination: Destination | None = Field(default=None, description="Set exactly when `exit_date` is.")
    exit_reason: ExitReason | None = None


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
        PlacementOffered,
        OfferDeclined,
        OfferExpired,
        AbsenceThresholdReached,
        ParticipantExited,
        IntegrationAchieved,
        FollowUpDue,
        FollowUpRecorded,
        NotificationSent,
        NotificationFailed,
        HistoricalStayImported,
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
