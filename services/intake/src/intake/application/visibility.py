"""Loading a person or a referral for a staff member: what they may not see does not exist (404)."""

from __future__ import annotations

import uuid

from intake.application.unit_of_work import IntakeUnitOfWork
from intake.domain.access import Viewer, Visibility
from intake.domain.consent import Consent
from intake.domain.errors import ParticipantNotFound, ReferralNotFound
from intake.domain.person import Person
from intake.domain.referral import Referral


async def visible_person(
    uow: IntakeUnitOfWork, participant_id: uuid.UUID, viewer: Viewer, *, for_update: bool = False
) -> tuple[Person, list[Referral]]:
    """The person and their referrals (oldest first); locked for update when asked."""
    person = await uow.people.get(participant_id, for_update=for_update)
    referrals = await uow.referrals.of_person(participant_id) if person else []
    latest = referrals[-1].status if referrals else None
    if person is None or not Visibility.of(viewer).sees(person, latest):
        raise ParticipantNotFound(f"no participant {participant_id}")
    return person, referrals


async def visible_referral(
    uow: IntakeUnitOfWork, referral_id: uuid.UUID, viewer: Viewer, *, for_update: bool = False
) -> tuple[Person, Referral]:
    """The referral and its person. The person's row is locked before the referrals', the one
    lock order every use case keeps; all of the person's referrals are read (and locked) at once,
    as what a staff member may see depends on the latest of them."""
    person, referral, _ = await visible_referral_and_consents(uow, referral_id, viewer, for_update=for_update)
    return person, referral


async def visible_referral_and_consents(
    uow: IntakeUnitOfWork, referral_id: uuid.UUID, viewer: Viewer, *, for_update: bool = False
) -> tuple[Person, Referral, list[Consent]]:
    """`visible_referral`, with the person's consents read in the same round trip."""
    case = await uow.referrals.case_of(referral_id, for_update=for_update)
    if case is None:
        raise ReferralNotFound(f"no referral {referral_id}")
    referral = next(referral for referral in case.referrals if referral.referral_id == referral_id)
    latest = case.referrals[-1].status
    if not Visibility.of(viewer).sees_referral(case.person, referral.status, latest):
        raise ReferralNotFound(f"no referral {referral_id}")
    return case.person, referral, case.consents
