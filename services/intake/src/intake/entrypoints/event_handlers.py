"""Kafka → use cases: intake hears of exits (`ParticipantExited` from outcomes), once each."""

from __future__ import annotations

from collections.abc import Callable

from intake.application import exits
from intake.application.unit_of_work import IntakeUnitOfWork
from werkstattnetz_shared.events import EventData, EventEnvelope, ParticipantExited
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.idempotent import handle_each_event_once

HANDLED_CONTRACTS = (ParticipantExited,)


def intake_event_handler(unit_of_work: Callable[[], IntakeUnitOfWork]) -> EventHandler:
    async def dispatch(envelope: EventEnvelope, data: EventData, uow: IntakeUnitOfWork) -> None:
        if isinstance(data, ParticipantExited):
            # outcomes publishes the exits of imported history too; those ended their stays already.
            if await uow.history_imports.is_imported_exit(envelope.participant_id, data.exit_date):
                return
            await exits.when_participant_exited(envelope.participant_id, data.exit_date, uow=uow)

    return handle_each_event_once(unit_of_work, dispatch, HANDLED_CONTRACTS)
