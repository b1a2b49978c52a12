"""Translate published events (envelope + versioned contract) into the worker's facts.

This is the only module that reads the shared event contracts. Events the figures do not need
(offers, absences, consents, …) give no fact. `FollowUpRecorded` is read through its contract where
the contract is registered, else from the envelope's data by its documented field names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from outcomes_live.domain.facts import Fact, FactKind
from werkstattnetz_shared.events import (
    EVENT_CONTRACTS,
    EventData,
    EventEnvelope,
    IntegrationAchieved,
    ParticipantEnrolled,
    ParticipantExited,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
    ReferralReceived,
)

FOLLOW_UP_RECORDED = "FollowUpRecorded"


class EventBreaksContract(ValueError):
    """The event's data does not fit its contract: it is dead-lettered, not counted."""


class FollowUpData(BaseModel):
    """What the figures read of a recorded six-month follow-up."""

    situation: str
    recorded_on: dt.date | None = None
    exit_date: dt.date | None = None


def fact_of(envelope: EventEnvelope) -> Fact | None:
    """The fact an event states, or None when the figures do not need it."""
    if envelope.event_type == FOLLOW_UP_RECORDED:
        return _follow_up(envelope)
    contract = EVENT_CONTRACTS.get((envelope.event_type, envelope.event_version))
    translate = _TRANSLATIONS.get(contract) if contract else None
    if contract is None or translate is None:
        return None
    try:
        data = contract.model_validate(envelope.data)
    except ValidationError as error:
        raise EventBreaksContract(f"{envelope.event_type} v{envelope.event_version}: {error}") from error
    return translate(envelope, data)


def _base(envelope: EventEnvelope, kind: FactKind, day: dt.date, **facts: Any) -> Fact:
    return Fact(
        event_id=str(envelope.event_id),
        kind=kind,
        at=envelope.occurred_at,
        day=day,
        cause=str(envelope.causation_id) if envelope.causation_id else None,
        **facts,
    )


def _referral(envelope: EventEnvelope, data: EventData) -> Fact:
    assert isinstance(data, ReferralReceived)
    return _base(envelope, FactKind.REFERRAL, data.received_on, work_area=data.preferred_work_areas[0].value)


def _enrolment(envelope: EventEnvelope, data: EventData) -> Fact:
    assert isinstance(data, ParticipantEnrolled)
    funders = [data.funder.value, *(share.funder.value for share in data.funding or ())]
    return _base(
        envelope,
        FactKind.ENROLMENT,
        data.enrolled_on,
        stay_key=str(data.enrolment_id or envelope.event_id),
        work_area=data.preferred_work_areas[0].value,
        funders=tuple(dict.fromkeys(funders)),
    )


def _placed(envelope: EventEnvelope, data: EventData) -> Fact:
    assert isinstance(data, ParticipantPlaced)
    return _base(envelope, FactKind.PLACED, data.placed_on, work_area=data.work_area.value)


def _waitlisted(envelope: EventEnvelope, data: EventData) -> Fact:
    assert isinstance(data, ParticipantWaitlisted)
    return _base(envelope, FactKind.WAITLISTED, envelope.occurred_at.date(), work_area=data.work_area.value)


def _placement_ended(envelope: EventEnvelope, data: EventData) -> Fact:
    assert isinstance(data, PlacementEnded)
    return _base(envelope, FactKind.PLACEMENT_ENDED, data.ended_on, work_area=data.work_area.value)


def _exited(envelope: EventEnvelope, data: EventData) -> Fact:
    assert isinstance(data, ParticipantExited)
    return _base(
        envelope,
        FactKind.EXIT,
        data.exit_date,
        work_area=data.work_area.value if data.work_area else None,
        funders=(data.funder.value,) if data.funder else (),
        destination=data.destination.value,
        integrated=data.integrated,
        jobcenter_integrated=data.jobcenter_integrated,
    )


def _integration(envelope: EventEnvelope, data: EventData) -> Fact:
    assert isinstance(data, IntegrationAchieved)
    return _base(
        envelope,
        FactKind.INTEGRATION,
        data.exit_date,
        work_area=data.work_area.value if data.work_area else None,
        funders=(data.funder.value,) if data.funder else (),
        destination=data.destination.value,
        integrated=True,
    )


def _follow_up(envelope: EventEnvelope) -> Fact:
    contract = EVENT_CONTRACTS.get((envelope.event_type, envelope.event_version))
    try:
        raw = contract.model_validate(envelope.data).model_dump(mode="json") if contract else envelope.data
        data = FollowUpData.model_validate(raw)
    except ValidationError as error:
        raise EventBreaksContract(f"{FOLLOW_UP_RECORDED}: {error}") from error
    return _base(
        envelope,
        FactKind.FOLLOW_UP,
        data.recorded_on or envelope.occurred_at.date(),
        situation=data.situation,
        exit_date=data.exit_date,
    )


_TRANSLATIONS: dict[type[EventData], Callable[[EventEnvelope, EventData], Fact]] = {
    ReferralReceived: _referral,
    ParticipantEnrolled: _enrolment,
    ParticipantPlaced: _placed,
    ParticipantWaitlisted: _waitlisted,
    PlacementEnded: _placement_ended,
    ParticipantExited: _exited,
    IntegrationAchieved: _integration,
}
