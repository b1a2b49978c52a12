"""What staff read: a person, a referral, the lists, the duplicate check, the audit log.

Every read of personal data is audited in the same transaction as the read: no answer leaves
without its audit entry. Each opens (and commits) its own unit of work.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from intake.adapters.audit_log import AuditEntry, AuditFilter
from intake.adapters.staff_lists import (
    ListedParticipant,
    ListedPerson,
    ListedReferral,
    Page,
    PageOf,
    ParticipantFilter,
    ReferralFilter,
)
from intake.application.unit_of_work import IntakeUnitOfWork
from intake.application.visibility import visible_person, visible_referral
from intake.domain.access import Viewer, Visibility
from intake.domain.consent import Consent
from intake.domain.person import Person
from intake.domain.referral import Referral


@dataclass(frozen=True)
class PersonFile:
    person: Person
    referrals: list[Referral]
    consents: list[Consent]


async def view_participant(participant_id: uuid.UUID, viewer: Viewer, uow: IntakeUnitOfWork) -> PersonFile:
    async with uow:
        person, referrals = await visible_person(uow, participant_id, viewer)
        person.require_not_erased()  # an erased person has no file
        consents = await uow.consents.of_person(participant_id)
        await uow.audit_log.record(
            staff_subject=viewer.subject, action="participant_viewed", participant_id=participant_id
        )
        await uow.commit()
    return PersonFile(person, referrals, consents)


async def view_referral(
    referral_id: uuid.UUID, viewer: Viewer, uow: IntakeUnitOfWork
) -> tuple[Person, Referral]:
    async with uow:
        person, referral = await visible_referral(uow, referral_id, viewer)
        await uow.audit_log.record(
            staff_subject=viewer.subject,
            action="referral_viewed",
            participant_id=person.participant_id,
            referral_id=referral_id,
        )
        await uow.commit()
    return person, referral


async def list_referrals(
    where: ReferralFilter, page: Page, viewer: Viewer, uow: IntakeUnitOfWork
) -> PageOf[ListedReferral]:
    async with uow:
        found = await uow.staff_lists.referrals(where, Visibility.of(viewer), page)
        await uow.audit_log.record_many(
            staff_subject=viewer.subject,
            action="referral_listed",
            people=[(item.person.participant_id, item.referral_id) for item in found.items],
        )
        await uow.commit()
    return found


async def list_participants(
    where: ParticipantFilter, page: Page, viewer: Viewer, uow: IntakeUnitOfWork
) -> PageOf[ListedParticipant]:
    async with uow:
        found = await uow.staff_lists.participants(where, Visibility.of(viewer), page)
        await uow.audit_log.record_many(
            staff_subject=viewer.subject,
            action="participant_listed",
            people=[(item.person.participant_id, item.referral_id) for item in found.items],
        )
        await uow.commit()
    return found


async def same_person_candidates(
    first_name: str, last_name: str, birth_date: dt.date, viewer: Viewer, uow: IntakeUnitOfWork
) -> list[ListedPerson]:
    """Before creating a referral: is this person known? (Only for staff who create referrals.)"""
    async with uow:
        found = await uow.staff_lists.same_person_candidates(first_name, last_name, birth_date)
        await uow.audit_log.record_many(
            staff_subject=viewer.subject,
            action="checked_for_same_person",
            people=[(person.participant_id, None) for person in found],
        )
        await uow.commit()
    return found


async def audit_entries(
    where: AuditFilter, before_id: int | None, limit: int, uow: IntakeUnitOfWork
) -> tuple[list[AuditEntry], bool]:
    async with uow:
        return await uow.audit_log.page(where, before_id=before_id, limit=limit)
