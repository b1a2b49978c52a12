"""intake's use cases. Each runs in one transaction: state, audit entry and outbox commit together.

The creating ones (`receive_referral`, `record_consent`, `enrol_referral`) run inside the caller's
open unit of work (keyword-only `uow`) and do not commit: the HTTP entry point stores the answer
for an `Idempotency-Key` in the same transaction and commits both together.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from intake.adapters.published_events import participant_enrolled
from intake.application.unit_of_work import IntakeUnitOfWork
from intake.domain.errors import ParticipantNotFound, ReferralNotFound
from intake.domain.referral import Enrolment, PersonalDetails, Referral
from werkstattnetz_shared.events.vocabulary import Funder, ReferralSource, WorkArea


@dataclass(frozen=True)
class ReceiveReferral:
    person: PersonalDetails
    referral_source: ReferralSource
    funder: Funder
    preferred_work_areas: tuple[WorkArea, ...]
    consent_to_data_processing: bool
    staff_subject: str


@dataclass(frozen=True)
class EnrolReferral:
    referral_id: uuid.UUID
    enrolled_on: dt.date
    # The programme's today and timezone; the timezone also decides the day a referral was received.
    today: dt.date
    timezone: dt.tzinfo
    staff_subject: str
    correlation_id: uuid.UUID


async def receive_referral(command: ReceiveReferral, *, uow: IntakeUnitOfWork) -> Referral:
    referral = Referral.receive(
        person=command.person,
        referral_source=command.referral_source,
        funder=command.funder,
        preferred_work_areas=command.preferred_work_areas,
        consent_to_data_processing=command.consent_to_data_processing,
        received_at=dt.datetime.now(dt.UTC),
    )
    await uow.referrals.add(referral)
    await uow.audit_log.record(
        staff_subject=command.staff_subject, action="referral_received", referral_id=referral.referral_id
    )
    return referral


async def record_consent(referral_id: uuid.UUID, staff_subject: str, *, uow: IntakeUnitOfWork) -> Referral:
    referral = await uow.referrals.get_for_update(referral_id)
    if referral is None:
        raise ReferralNotFound(f"no referral {referral_id}")
    referral.record_consent()
    await uow.referrals.save(referral)
    await uow.audit_log.record(
        staff_subject=staff_subject, action="consent_recorded", referral_id=referral_id
    )
    return referral


async def enrol_referral(command: EnrolReferral, *, uow: IntakeUnitOfWork) -> Enrolment:
    referral = await uow.referrals.get_for_update(command.referral_id)
    if referral is None:
        raise ReferralNotFound(f"no referral {command.referral_id}")
    enrolment = referral.enrol(command.enrolled_on, today=command.today, timezone=command.timezone)
    await uow.referrals.save(referral)
    await uow.audit_log.record(
        staff_subject=command.staff_subject, action="enrolled", referral_id=referral.referral_id
    )
    await uow.outbox.add(participant_enrolled(enrolment, command.correlation_id))
    return enrolment


async def view_participant(participant_id: uuid.UUID, staff_subject: str, uow: IntakeUnitOfWork) -> Referral:
    """Reading personal data is audited too, in the same transaction as the read."""
    async with uow:
        referral = await uow.referrals.get_by_participant(participant_id)
        if referral is None:
            raise ParticipantNotFound(f"no participant {participant_id}")
        await uow.audit_log.record(
            staff_subject=staff_subject, action="participant_viewed", referral_id=referral.referral_id
        )
        await uow.commit()
    return referral
