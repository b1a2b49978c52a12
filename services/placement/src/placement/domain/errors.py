"""Rule violations of placement's domain. Each names the rule and, where there is one, the field."""

from __future__ import annotations

import uuid

from werkstattnetz_shared.rules import RuleViolated


class PlacementRuleViolated(RuleViolated):
    rule = "placement_rule"


class SeatMustBeFree(PlacementRuleViolated):
    """Taking a seat of a workshop whose seats are all taken or held by open offers would overbook it."""

    rule = "seat_must_be_free"
    field = "workshop_id"


class SeatMustBeTaken(PlacementRuleViolated):
    """Giving back a seat of an empty workshop would make its occupancy negative."""

    rule = "seat_must_be_taken"


class WaitlistMustHoldParticipant(PlacementRuleViolated):
    rule = "waitlist_must_hold_participant"


class StatusMustAllowChange(PlacementRuleViolated):
    """A participant's placement only moves along its allowed paths (see `participant`)."""

    rule = "status_must_allow_change"
    field = "status"


class ParticipantMustBeKnown(PlacementRuleViolated):
    rule = "participant_must_be_known"
    field = "participant_id"


class StayMustBeActive(StatusMustAllowChange):
    """The stay has ended (its exit was heard): nothing is placed or prioritised any more."""

    rule = "stay_must_be_active"


class ParticipantMustNotBePlaced(StatusMustAllowChange):
    """Someone sitting in a workshop is moved with a transfer, not placed again."""

    rule = "participant_must_not_be_placed"


class ParticipantMustBePlaced(StatusMustAllowChange):
    rule = "participant_must_be_placed"


class OpenOfferMustBeAnswered(PlacementRuleViolated):
    """Someone holding an offer is placed by accepting it (or, after declining it, by hand)."""

    rule = "open_offer_must_be_answered"

    def __init__(self, message: str, offer_id: uuid.UUID) -> None:
        super().__init__(message)
        self.conflicting_id = offer_id


class TransferMustChangeWorkshop(PlacementRuleViolated):
    rule = "transfer_must_change_workshop"
    field = "workshop_id"


class EndReasonMustBeGivenByHand(PlacementRuleViolated):
    """`transferred` is what a transfer records; a caseworker ends with another reason."""

    rule = "end_reason_must_be_given_by_hand"
    field = "reason"


class EndDateMustFitPlacement(PlacementRuleViolated):
    """A placement ends on or after the day it began, and not after today."""

    rule = "ended_on_within_placement"
    field = "ended_on"


class UrgencyNeedsReason(PlacementRuleViolated):
    """An urgent case names why (a reason code); a case that is not urgent names none."""

    rule = "urgency_needs_reason"
    field = "reason"


class OfferMustBeKnown(PlacementRuleViolated):
    rule = "offer_must_be_known"
    field = "offer_id"


class OfferMustBeOpen(PlacementRuleViolated):
    """An offer is answered once, before it expires."""

    rule = "offer_must_be_open"
    field = "status"


class WorkshopMustBeKnown(PlacementRuleViolated):
    rule = "workshop_must_be_known"
    field = "workshop_id"


class WorkshopNameMustBeUnique(PlacementRuleViolated):
    rule = "workshop_name_must_be_unique"
    field = "name"

    def __init__(self, message: str, existing: uuid.UUID | None = None) -> None:
        super().__init__(message)
        self.conflicting_id = existing


class SeatsMustCoverOccupancy(PlacementRuleViolated):
    """Seats shrink only down to the people placed plus the seats held by open offers."""

    rule = "seats_must_cover_occupancy"
    field = "seats"


class SettingMustBeValid(PlacementRuleViolated):
    """A placement setting read at start (its environment variable is the field)."""

    rule = "setting_must_be_valid"

    def __init__(self, message: str, setting: str) -> None:
        super().__init__(message)
        self.field = setting
