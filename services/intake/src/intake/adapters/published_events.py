"""Translate intake's facts into the published contracts on `intake.events`.

Only coarse attributes leave intake: the participant id, age band, source, dates, reason codes,
work areas, funding shares — never a name, birth date, contact data or note.
"""

from __future__ import annotations

import datetime as dt
import uuid

from intake.domain.referral import Enrolment, Referral
from werkstattnetz_shared.events import (
    CaseworkerAssigned,
    ConsentWithdrawn,
    EventData,
    EventEnvelope,
    FundingShare,
    ParticipantDataErased,
    ParticipantEnrolled,
    ReferralReceived,
    ReferralRejected,
    ReferralWithdrawn,
)
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    ConsentPurpose,
    RejectionReason,
    WithdrawalReason,
)

PRODUCER = "intake"


def _wrap(data: EventData, participant_id: uuid.UUID, correlation_id: uuid.UUID | None) -> EventEnvelope:
    return EventEnvelope.wrap(
        data, producer=PRODUCER, participant_id=participant_id, correlation_id=correlation_id
    )


def referral_received(referral: Referral, age_band: AgeBand, correlation_id: uuid.UUID) -> EventEnvelope:
    data = ReferralReceived(
        referral_source=referral.referrer.source,
        received_on=referral.received_on,
        age_band=age_band,
        preferred_work_areas=list(referral.preferred_work_areas),
        re_entry=referral.re_entry,
    )
    return _wrap(data, referral.participant_id, correlation_id)


def referral_closed(referral: Referral, correlation_id: uuid.UUID) -> EventEnvelope:
    """`ReferralRejected` or `ReferralWithdrawn`, by how the referral was closed."""
    closing = referral.closing
    assert closing is not None
    data: EventData
    if isinstance(closing.reason, RejectionReason):
        data = ReferralRejected(reason=closing.reason, rejected_on=closing.on)
    else:
        assert isinstance(closing.reason, WithdrawalReason)
        data = ReferralWithdrawn(reason=closing.reason, withdrawn_on=closing.on)
    return _wrap(data, referral.participant_id, correlation_id)


def participant_enrolled(
    referral: Referral, enrolment: Enrolment, correlation_id: uuid.UUID
) -> EventEnvelope:
    data = ParticipantEnrolled(
        age_band=enrolment.age_band,
        referral_source=referral.referrer.source,
        funder=enrolment.funding.main_funder,
        preferred_work_areas=list(referral.preferred_work_areas),
        enrolled_on=enrolment.enrolled_on,
        enrolment_id=enrolment.enrolment_id,
        re_entry=referral.re_entry,
        funding=[
            FundingShare(
                funder=share.funder, legal_basis=share.legal_basis, share_percent=share.share_percent
            )
            for share in enrolment.funding.shares
        ],
    )
    return _wrap(data, referral.participant_id, correlation_id)


def consent_withdrawn(
    participant_id: uuid.UUID, purpose: ConsentPurpose, on: dt.date, correlation_id: uuid.UUID
) -> EventEnvelope:
    return _wrap(ConsentWithdrawn(purpose=purpose, withdrawn_on=on), participant_id, correlation_id)


def caseworker_assigned(
    participant_id: uuid.UUID, caseworker: str, on: dt.date, correlation_id: uuid.UUID
) -> EventEnvelope:
    return _wrap(CaseworkerAssigned(caseworker=caseworker, assigned_on=on), participant_id, correlation_id)


def participant_data_erased(
    participant_id: uuid.UUID, on: dt.date, correlation_id: uuid.UUID
) -> EventEnvelope:
    return _wrap(ParticipantDataErased(erased_on=on), participant_id, correlation_id)
