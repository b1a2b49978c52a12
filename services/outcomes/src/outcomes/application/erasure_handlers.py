"""Use case: when a person's data is erased, erase the free text case work holds about them."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from outcomes.adapters.erasure_repository import ErasedTexts
from outcomes.application.unit_of_work import OutcomesUnitOfWork

log = logging.getLogger(__name__)


async def when_participant_data_erased(
    participant_id: uuid.UUID, erased_on: dt.date, *, uow: OutcomesUnitOfWork
) -> ErasedTexts:
    """Runs inside the consumer's transaction with its inbox row. Progress notes are deleted; goal
    and milestone texts are blanked, their aims, statuses and dates kept for anonymous counts;
    assessments hold no text and stay. Also for a participant outcomes knows nothing else of yet:
    the erasure is remembered and no text is written about them afterwards."""
    erased = await uow.erasures.erase_case_work_texts(participant_id, erased_on)
    # Counts only: the log must not say more about the person than the event did.
    log.info(
        "case work texts erased",
        extra={
            "participant_id": str(participant_id),
            "notes_deleted": erased.notes_deleted,
            "goal_texts_blanked": erased.goal_texts_blanked,
            "milestone_texts_blanked": erased.milestone_texts_blanked,
        },
    )
    return erased
