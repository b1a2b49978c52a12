"""Loading a person or a referral for a staff member: what they may not see does not exist (404)."""

from __future__ import annotations

import uuid

from intake.application.unit_of_work import IntakeUnitOfWork
from intake.domain.access import Viewer, Visibility
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
    person = await uow.people.of_referral(referral_id, for_update=for_update)
    referrals = await uow.referrals.of_person(person.participant_id, for_update=for_update) if person else []
    referral = next((referral for referral in referrals if referral.referral_id == referral_id), None)
    if person is None or referral is None:
        raise ReferralNotFound(f"no referral {referral_id}")
    latest = referrals[-1].status
    if not Visibility.of(viewer).sees_referral(person, referral.status, latest):
        raise ReferralNotFound(f"no referral {referral_id}")
    return person, referral
