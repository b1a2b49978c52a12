"""Translate consumed events into triggers and record a mail for each (one transaction per event).

The translation is where everything a mail must not carry (funder, waitlist position, …) is left
behind: the triggers have no field for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from notifications.application import handlers
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.notification import StaffToNotify
from notifications.domain.triggers import (
    ParticipantWasIntegrated,
    ParticipantWasPlaced,
    ParticipantWasWaitlisted,
    Trigger,
    TriggerEvent,
)
from notifications.settings import NotificationsSettings
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    IntegrationAchieved,
    ParticipantPlaced,
    ParticipantWaitlisted,
)
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.idempotent import handle_each_event_once

NOTIFIED_CONTRACTS = (ParticipantPlaced, ParticipantWaitlisted, IntegrationAchieved)

Dispatch = Callable[[EventEnvelope, EventData, NotificationsUnitOfWork], Awaitable[None]]


def trigger_from(envelope: EventEnvelope, data: EventData, zone: ZoneInfo) -> Trigger:
    participant_id = envelope.participant_id
    match data:
        case ParticipantPlaced():
            return ParticipantWasPlaced(participant_id, data.work_area, data.placed_on)
        case ParticipantWaitlisted():
            # The contract has no date of its own: the day it happened is the day of the event.
            return ParticipantWasWaitlisted(participant_id, data.work_area, _local_day(envelope, zone))
        case IntegrationAchieved():
            return ParticipantWasIntegrated(participant_id, data.destination, data.exit_date, data.work_area)
    raise TypeError(f"{envelope.event_type} does not notify anyone")


def notifications_event_handler(
    unit_of_work: Callable[[], NotificationsUnitOfWork], settings: NotificationsSettings
) -> EventHandler:
    """Each notified event records one mail delivery, exactly once."""
    return handle_each_event_once(unit_of_work, record_mail_for_event(settings), NOTIFIED_CONTRACTS)


def record_mail_for_event(settings: NotificationsSettings) -> Dispatch:
    """The `dispatch` for `handle_each_event_once`: records, never commits (the wrapper does)."""
    zone = ZoneInfo(settings.timezone)
    staff = StaffToNotify(staff_email=settings.staff_email)

    async def dispatch(envelope: EventEnvelope, data: EventData, uow: NotificationsUnitOfWork) -> None:
        if isinstance(data, IntegrationAchieved) and data.imported:
            return  # history taken over from a spreadsheet: a figure, not news for anyone
        command = handlers.RecordDelivery(
            trigger=trigger_from(envelope, data, zone),
            trigger_event=TriggerEvent(
                event_id=envelope.event_id,
                event_type=envelope.event_type,
                correlation_id=envelope.correlation_id,
            ),
            staff=staff,
            sender=settings.mail_from,
        )
        await handlers.record_pending_delivery(command, uow)

    return dispatch


def _local_day(envelope: EventEnvelope, zone: ZoneInfo) -> dt.date:
    return envelope.occurred_at.astimezone(zone).date()
