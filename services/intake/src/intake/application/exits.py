"""What intake learns from outcomes: a participant left the programme, so a later referral of the
same person is a re-entry and may be enrolled again."""

from __future__ import annotations

import datetime as dt
import uuid

from intake.application.unit_of_work import IntakeUnitOfWork


async def when_participant_exited(
    participant_id: uuid.UUID, exit_date: dt.date, *, uow: IntakeUnitOfWork
) -> None:
    """Runs inside the consumer's transaction (with its inbox row) and does not commit."""
    await uow.people.get(participant_id, for_update=True)  # the one lock order: person first
    for referral in await uow.referrals.of_person(participant_id):
        if referral.is_active_enrolment and referral.end_enrolment(exit_date):
            await uow.referrals.save(referral)
