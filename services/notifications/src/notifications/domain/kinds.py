"""What a notification is about, and the languages staff read them in."""

from __future__ import annotations

from enum import StrEnum


class NotificationKind(StrEnum):
    """One per situation staff are told about; rules, templates and webhooks name these."""

    PLACEMENT = "placement"  # ParticipantPlaced (on enrolment, by hand, offer accepted)
    TRANSFER = "transfer"  # ParticipantPlaced with kind=transfer
    WAITLISTING = "waitlisting"  # ParticipantWaitlisted
    SEAT_OFFERED = "seat_offered"  # PlacementOffered
    OFFER_EXPIRING = "offer_expiring"  # PlacementOffered, a set time before it expires, if still open
    ABSENCES = "absences"  # AbsenceThresholdReached
    FOLLOW_UP_DUE = "follow_up_due"  # FollowUpDue
    INTEGRATION = "integration"  # IntegrationAchieved (not imported history)


class Language(StrEnum):
    GERMAN = "de"
    ENGLISH = "en"


DEFAULT_LANGUAGE = Language.GERMAN
