"""Translate consumed events into occasions and record who is told (one transaction per event).

The translation is where everything a message must not carry (funder, waitlist position, …) is
left behind: only ids, work areas, destinations, dates and counts go into an occasion's facts.
Besides occasions, intake's events keep the caseworker assignments current and erase what is kept
per person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from notifications.application.recording import Recording, address_awaiting_deliveries, record_occasion
from notifications.application.unit_of_work import NotificationsUnitOfWork
from notifications.domain.kinds import NotificationKind
from notifications.domain.occasions import Occasion, TriggerEvent
from werkstattnetz_shared.events import (
    AbsenceThresholdReached,
    CaseworkerAssigned,
    EventData,
    EventEnvelope,
    FollowUpDue,
    IntegrationAchieved,
    OfferDeclined,
    OfferExpired,
    ParticipantDataErased,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementOffered,
)
from werkstattnetz_shared.events.vocabulary import PlacementKind
from werkstattnetz_shared.messaging.event_handler import EventHandler
from werkstattnetz_shared.messaging.idempotent import handle_each_event_once

HANDLED_CONTRACTS = (
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementOffered,
    OfferDeclined,
    OfferExpired,
    AbsenceThresholdReached,
    FollowUpDue,
    IntegrationAchieved,
    CaseworkerAssigned,
    ParticipantDataErased,
)

Dispatch = Callable[[EventEnvelope, EventData, NotificationsUnitOfWork], Awaitable[None]]


def occasions_of(
    envelope: EventEnvelope, data: EventData, zone: ZoneInfo, offer_reminder_lead: dt.timedelta
) -> list[Occasion]:
    """What the event tells staff about; empty for events that only keep state current."""
    trigger = TriggerEvent(envelope.event_id, envelope.event_type, envelope.correlation_id)

    def occasion(kind: NotificationKind, facts: dict[str, Any], **more: Any) -> Occasion:
        return Occasion(kind, envelope.participant_id, trigger, _json_ready(facts), **more)

    facts: dict[str, Any]
    match data:
        case ParticipantPlaced():
            kind = (
                NotificationKind.TRANSFER
                if data.kind is PlacementKind.TRANSFER
                else NotificationKind.PLACEMENT
            )
            facts = {
                "work_area": data.work_area,
                "workshop_id": data.workshop_id,
                "placed_on": data.placed_on,
            }
            return [occasion(kind, facts, workshop_lead=data.workshop_lead)]
        case ParticipantWaitlisted():
            # The contract has no date of its own: the day it happened is the day of the event.
            day = envelope.occurred_at.astimezone(zone).date()
            return [
                occasion(NotificationKind.WAITLISTING, {"work_area": data.work_area, "waitlisted_on": day})
            ]
        case PlacementOffered():
            facts = {
                "work_area": data.work_area,
                "workshop_id": data.workshop_id,
                "offer_id": data.offer_id,
                "expires_at": data.expires_at,
            }
            return [
                occasion(NotificationKind.SEAT_OFFERED, facts),
                occasion(
                    NotificationKind.OFFER_EXPIRING,
                    facts,
                    offer_id=data.offer_id,
                    not_before=data.expires_at - offer_reminder_lead,
                ),
            ]
        case AbsenceThresholdReached():
            facts = {
                "work_area": data.work_area,
                "workshop_id": data.workshop_id,
                "streak_started_on": data.streak_started_on,
                "streak_ended_on": data.streak_ended_on,
                "unexcused_days": data.unexcused_days,
            }
            return [occasion(NotificationKind.ABSENCES, facts)]
        case FollowUpDue():
            facts = {"exit_date": data.exit_date, "due_on": data.due_on, "destination": data.destination}
            return [occasion(NotificationKind.FOLLOW_UP_DUE, facts)]
        case IntegrationAchieved() if not data.imported:
            # Imported history is a figure for the reports, not news for anyone.
            facts = {
                "destination": data.destination,
                "exit_date": data.exit_date,
                "work_area": data.work_area,
            }
            return [occasion(NotificationKind.INTEGRATION, facts)]
    return []


def notifications_event_handler(
    unit_of_work: Callable[[], NotificationsUnitOfWork],
    recording: Recording,
    offer_reminder_lead: dt.timedelta,
) -> EventHandler:
    """Each event is handled exactly once (the inbox); its effects commit with the inbox row."""
    return handle_each_event_once(
        unit_of_work, record_notifications(recording, offer_reminder_lead), HANDLED_CONTRACTS
    )


def record_notifications(recording: Recording, offer_reminder_lead: dt.timedelta) -> Dispatch:
    async def dispatch(envelope: EventEnvelope, data: EventData, uow: NotificationsUnitOfWork) -> None:
        now = dt.datetime.now(dt.UTC)
        participant_id = envelope.participant_id
        match data:
            case CaseworkerAssigned():
                if await uow.assignments.assign(participant_id, data.caseworker, data.assigned_on):
                    await address_awaiting_deliveries(participant_id, data.caseworker, recording, uow, now)
                return
            case ParticipantDataErased():
                await uow.assignments.forget(participant_id)
                await uow.staff_inbox.erase_participant(participant_id)
                await uow.deliveries.erase_participant(participant_id)
                return
            case OfferDeclined() | OfferExpired():
                await uow.deliveries.cancel_reminders_of_offer(data.offer_id)
                return
            case ParticipantPlaced() if data.offer_id is not None:
                await uow.deliveries.cancel_reminders_of_offer(data.offer_id)
        for occasion in occasions_of(envelope, data, recording.zone, offer_reminder_lead):
            await record_occasion(occasion, recording, uow, now)

    return dispatch


def _json_ready(facts: dict[str, Any]) -> dict[str, Any]:
    """Dates and moments as ISO text, enums and ids as their values; missing facts left out."""
    ready: dict[str, Any] = {}
    for key, value in facts.items():
        if value is None:
            continue
        if isinstance(value, dt.date | dt.datetime):
            ready[key] = value.isoformat()
        elif isinstance(value, int | str) and not hasattr(value, "value"):
            ready[key] = value
        else:
            ready[key] = str(getattr(value, "value", value))
    return ready
