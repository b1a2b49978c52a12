"""intake's referral workflow: receive, interview, reject, withdraw, enrol.

Each runs inside the caller's open unit of work (keyword-only `uow`) and does not commit: the HTTP
entry point keeps the answer for an `Idempotency-Key` in the same transaction and commits both.
Personal data changes, the audit entry and the outgoing event commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from intake.adapters import published_events
from intake.application.unit_of_work import IntakeUnitOfWork
from intake.application.visibility import visible_referral, visible_referral_and_consents
from intake.domain.access import Viewer
from intake.domain.eligibility import EligibilityRules, InterviewFindings
from intake.domain.errors import DetailsDoNotMatchLinkedPerson, ParticipantNotFound
from intake.domain.funding import Funding, FundingShare
from intake.domain.person import Person, PersonalDetails
from intake.domain.re_entry import check_may_be_referred_again
from intake.domain.referral import Enrolment, Interview, Referral, Referrer
from werkstattnetz_shared.events.vocabulary import RejectionReason, WithdrawalReason, WorkArea


@dataclass(frozen=True)
class Context:
    """Who acts, when (the programme's today), and the request's correlation id."""

    viewer: Viewer
    today: dt.date
    now: dt.datetime
    correlation_id: uuid.UUID


@dataclass(frozen=True)
class ReceiveReferral:
    details: PersonalDetails
    referrer: Referrer
    received_on: dt.date
    preferred_work_areas: tuple[WorkArea, ...]
    same_person_as: uuid.UUID | None  # a returning person: link, not a second person


async def receive_referral(command: ReceiveReferral, context: Context, *, uow: IntakeUnitOfWork) -> Referral:
    if command.same_person_as is not None:
        person, re_entry = await _returning_person(command, uow)
    else:
        person, re_entry = Person.first_referred(command.details), False
        await uow.people.add(person)  # refuses someone known already: SamePersonAlreadyKnown
    referral = Referral.receive(
        person,
        command.referrer,
        command.received_on,
        command.preferred_work_areas,
        re_entry=re_entry,
        now=context.now,
        today=context.today,
    )
    await uow.referrals.save(referral)
    await _audit(uow, context, "referral_received", referral)
    age_band = referral.age_band_when_received(person.known_details.birth_date)
    await uow.outbox.add(published_events.referral_received(referral, age_band, context.correlation_id))
    return referral


async def _returning_person(command: ReceiveReferral, uow: IntakeUnitOfWork) -> tuple[Person, bool]:
    assert command.same_person_as is not None
    person = await uow.people.get(command.same_person_as, for_update=True)
    if person is None:
        raise ParticipantNotFound(f"no participant {command.same_person_as}")
    earlier = await uow.referrals.of_person(person.participant_id)
    check_may_be_referred_again(person, earlier)
    if not person.known_details.is_same_person_as(command.details):
        raise DetailsDoNotMatchLinkedPerson(
            "the name and birth date given are not those of the participant the referral names"
        )
    person.update_contact(command.details)
    await uow.people.save(person)
    return person, any(referral.enrolment is not None for referral in earlier)


@dataclass(frozen=True)
class RecordInterview:
    referral_id: uuid.UUID
    held_on: dt.date
    held_by: str
    findings: InterviewFindings
    note: str | None


async def record_interview(command: RecordInterview, context: Context, *, uow: IntakeUnitOfWork) -> Referral:
    person, referral = await visible_referral(uow, command.referral_id, context.viewer, for_update=True)
    person.require_not_erased()  # an interview note is personal data about the person
    interview = Interview(command.held_on, command.held_by, command.findings, command.note)
    referral.record_interview(interview, today=context.today)
    await uow.referrals.save(referral)
    await _audit(uow, context, "interview_recorded", referral)
    return referral


async def reject_referral(
    referral_id: uuid.UUID, reason: RejectionReason, on: dt.date, context: Context, *, uow: IntakeUnitOfWork
) -> Referral:
    _, referral = await visible_referral(uow, referral_id, context.viewer, for_update=True)
    referral.reject(reason, on, today=context.today)
    return await _closed(referral, "referral_rejected", context, uow)


async def withdraw_referral(
    referral_id: uuid.UUID, reason: WithdrawalReason, on: dt.date, context: Context, *, uow: IntakeUnitOfWork
) -> Referral:
    _, referral = await visible_referral(uow, referral_id, context.viewer, for_update=True)
    referral.withdraw(reason, on, today=context.today)
    return await _closed(referral, "referral_withdrawn", context, uow)


async def _closed(referral: Referral, action: str, context: Context, uow: IntakeUnitOfWork) -> Referral:
    await uow.referrals.save(referral)
    await _audit(uow, context, action, referral)
    await uow.outbox.add(published_events.referral_closed(referral, context.correlation_id))
    return referral


@dataclass(frozen=True)
class EnrolReferral:
    referral_id: uuid.UUID
    enrolled_on: dt.date
    funding: Sequence[FundingShare]
    caseworker: str | None


async def enrol_referral(
    command: EnrolReferral, context: Context, rules: EligibilityRules, *, uow: IntakeUnitOfWork
) -> tuple[Referral, Enrolment]:
    """Every eligibility rule is checked; a refusal names each one that failed."""
    person, referral, consents = await visible_referral_and_consents(
        uow, command.referral_id, context.viewer, for_update=True
    )
    funding = Funding.of(command.funding)
    enrolment = referral.enrol(
        person, consents, funding, command.enrolled_on, rules=rules, today=context.today
    )
    await uow.referrals.save(referral)
    await _audit(uow, context, "enrolled", referral)
    await uow.outbox.add(published_events.participant_enrolled(referral, enrolment, context.correlation_id))
    if command.caseworker is not None and person.assign_caseworker(command.caseworker):
        await uow.people.save(person)
        await uow.outbox.add(
            published_events.caseworker_assigned(
                person.participant_id, command.caseworker, command.enrolled_on, context.correlation_id
            )
        )
    return referral, enrolment


async def _audit(uow: IntakeUnitOfWork, context: Context, action: str, referral: Referral) -> None:
    await uow.audit_log.record(
        staff_subject=context.viewer.subject,
        action=action,
        participant_id=referral.participant_id,
        referral_id=referral.referral_id,
    )
