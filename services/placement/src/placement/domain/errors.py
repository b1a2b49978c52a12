"""Rule violations of placement's domain. Each names the rule and, where there is one, the field."""

from werkstattnetz_shared.rules import RuleViolated


class PlacementRuleViolated(RuleViolated):
    rule = "placement_rule"


class SeatMustBeFree(PlacementRuleViolated):
    """Taking a seat in a full workshop would overbook it."""

    rule = "seat_must_be_free"


class SeatMustBeTaken(PlacementRuleViolated):
    """Giving back a seat of an empty workshop would make its occupancy negative."""

    rule = "seat_must_be_taken"


class WaitlistMustHoldParticipant(PlacementRuleViolated):
    rule = "waitlist_must_hold_participant"


class StatusMustAllowChange(PlacementRuleViolated):
    """A participant's placement can only move along placed → ended or waitlisted → placed/left."""

    rule = "status_must_allow_change"


class WorkshopCapacitiesMustBeValid(PlacementRuleViolated):
    rule = "workshop_capacities_must_be_valid"
    field = "WORKSHOP_CAPACITIES"
