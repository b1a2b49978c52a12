"""The published language of werkstattnetz: the event envelope and the versioned event contracts."""

from werkstattnetz_shared.events.contracts import (
    EVENT_CONTRACTS,
    EventData,
    IntegrationAchieved,
    NotificationSent,
    ParticipantEnrolled,
    ParticipantExited,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
    UnknownEventContractError,
    parse_event_data,
)
from werkstattnetz_shared.events.envelope import EventEnvelope

__all__ = [
    "EVENT_CONTRACTS",
    "EventData",
    "EventEnvelope",
    "IntegrationAchieved",
    "NotificationSent",
    "ParticipantEnrolled",
    "ParticipantExited",
    "ParticipantPlaced",
    "ParticipantWaitlisted",
    "PlacementEnded",
    "UnknownEventContractError",
    "parse_event_data",
]
