"""Use cases around a person: consents, the responsible caseworker, erasure.

The changing ones run inside the caller's open unit of work (keyword-only `uow`) and do not
commit; each audits what it did and publishes its coarse event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from intake.adapters import published_events
from intake.application.referral_workflow import Context
from intake.application.unit_of_work import IntakeUnitOfWork
from intake.application.visibility import visible_person
from intake.domain.consent import Consent, ConsentGiver
from intake.domain.errors import ConsentNotFound
from intake.domain.person import Person
from werkstattnetz_shared.events.vocabulary import ConsentPurpose


@dataclass(frozen=True)
class RecordConsent:
    participant_id: uuid.UUID
    purpose: ConsentPurpose
    given_on: dt.date
    given_by: ConsentGiver
    guardian_name: str | None


async def record_consent(command: RecordConsent, context: Context, *, uow: IntakeUnitOfWork) -> Consent:
    person, _ = await visible_person(uow, command.participant_id, context.viewer, for_update=True)
    person.require_not_erased()
    consent = Consent.given(
        person.participant_id,
        command.purpose,
        command.given_on,
        command.given_by,
        command.guardian_name,
        today=context.today,
    )
    await uow.consents.add(consent, recorded_by=context.viewer.subject)
    await _audit(uow, context, "consent_recorded", person)
    return consent


async def withdraw_consent(
    participant_id: uuid.UUID, consent_id: uuid.UUID, on: dt.date, context: Context, *, uow: IntakeUnitOfWork
) -> Consent:
    person, _ = await visible_person(uow, participant_id, context.viewer, for_update=True)
    consent = await uow.consents.get_for_update(participant_id, consent_id)
    if consent is None:
        raise ConsentNotFound(f"participant {participant_id} has no consent {consent_id}")
    consent.withdraw(on, today=context.today)
    await uow.consents.save_withdrawal(consent)
    await _audit(uow, context, "consent_withdrawn", person)
    assert consent.withdrawn_on is not None
    await uow.outbox.add(
        published_events.consent_withdrawn(
            participant_id, consent.purpose, consent.withdrawn_on, context.correlation_id
        )
    )
    return consent


async def assign_caseworker(
    participant_id: uuid.UUID, caseworker: str, context: Context, *, uow: IntakeUnitOfWork
) -> Person:
    """Managers hand a participant to a caseworker; an unchanged assignment publishes nothing."""
    person, _ = await visible_person(uow, participant_id, context.viewer, for_update=True)
    if person.assign_caseworker(caseworker):
        await uow.people.save(person)
        await _audit(uow, context, "caseworker_assigned", person)
        await uow.outbox.add(
            published_events.caseworker_assigned(
                participant_id, caseworker, context.today, context.correlation_id
            )
        )
    return person


async def erase_personal_data(
    participant_id: uuid.UUID, context: Context, *, uow: IntakeUnitOfWork
) -> Person:
    """GDPR Art. 17: names, birth date, contact data, notes and guardians' names go for good (also
    from the answers remembered for retries); the person stays as their participant id, so counts
    and reports do not change. Every service that keeps free text or contact data about them
    removes it on `ParticipantDataErased`."""
    person, _ = await visible_person(uow, participant_id, context.viewer, for_update=True)
    person.erase(context.today)
    await uow.people.save(person)
    await uow.referrals.erase_free_text(participant_id)
    await uow.consents.erase_guardian_names(participant_id)
    await uow.remembered_answers.forget_about(participant_id)
    await _audit(uow, context, "personal_data_erased", person)
    await uow.outbox.add(
        published_events.participant_data_erased(participant_id, context.today, context.correlation_id)
    )
    return person


async def _audit(uow: IntakeUnitOfWork, context: Context, action: str, person: Person) -> None:
    await uow.audit_log.record(
        staff_subject=context.viewer.subject, action=action, participant_id=person.participant_id
    )
