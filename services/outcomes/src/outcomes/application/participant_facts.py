"""Use cases that keep outcomes' picture of each participant current from other services' events.

They run inside the transaction the idempotent consumer opened (together with its inbox row), so
they never commit themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.participant import Enrolment, ParticipantRecord
from werkstattnetz_shared.events.vocabulary import WorkArea


async def when_participant_enrolled(
    participant_id: uuid.UUID, enrolment: Enrolment, uow: OutcomesUnitOfWork
) -> None:
    await _change(participant_id, uow, lambda record: record.record_enrolment(enrolment))


async def when_participant_placed(
    participant_id: uuid.UUID, work_area: WorkArea, uow: OutcomesUnitOfWork
) -> None:
    await _change(participant_id, uow, lambda record: record.record_placement(work_area))


async def when_participant_waitlisted(
    participant_id: uuid.UUID, work_area: WorkArea, uow: OutcomesUnitOfWork
) -> None:
    await _change(participant_id, uow, lambda record: record.record_waitlisting(work_area))


async def when_placement_ended(
    participant_id: uuid.UUID, work_area: WorkArea, uow: OutcomesUnitOfWork
) -> None:
    await _change(participant_id, uow, lambda record: record.record_placement_end(work_area))


async def _change(
    participant_id: uuid.UUID, uow: OutcomesUnitOfWork, change: Callable[[ParticipantRecord], None]
) -> None:
    record = await uow.participants.get_or_start_for_update(participant_id)
    change(record)
    await uow.participants.save(record)
