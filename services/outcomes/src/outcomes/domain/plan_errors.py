"""Rule violations of case work: development plans, their milestones and progress notes."""

from outcomes.domain.errors import OutcomesRuleViolated


class StayMustBeOpen(OutcomesRuleViolated):
    """The case work of a stay ends with its exit; what follows belongs to the follow-up."""

    rule = "stay_must_be_open"


class StayMustBeKnown(OutcomesRuleViolated):
    """A stay number the participant never had."""

    rule = "stay_must_be_known"


class CaseWorkTextsErased(OutcomesRuleViolated):
    """The person's data was erased (GDPR Art. 17): no new free text about them is written."""

    rule = "participant_data_erased"


class GoalMustBeKnown(OutcomesRuleViolated):
    rule = "goal_must_be_known"


class MilestoneMustBeKnown(OutcomesRuleViolated):
    rule = "milestone_must_be_known"


class GoalMustBeActive(OutcomesRuleViolated):
    """Milestones are added to goals still being worked on, not to achieved or dropped ones."""

    rule = "goal_must_be_active"


class GoalStatusTransitionAllowed(OutcomesRuleViolated):
    rule = "goal_status_transition_allowed"
    field = "status"


class MilestoneStatusTransitionAllowed(OutcomesRuleViolated):
    rule = "milestone_status_transition_allowed"
    field = "status"


class MilestoneMissedOnlyAfterDueDate(OutcomesRuleViolated):
    rule = "milestone_missed_only_after_due_date"
    field = "status"


class DueDateWithinStayHorizon(OutcomesRuleViolated):
    rule = "due_on_within_stay_horizon"
    field = "due_on"


class NoteDateWithinStay(OutcomesRuleViolated):
    rule = "written_on_within_stay"
    field = "written_on"


class NoteGoalMustBeInPlan(OutcomesRuleViolated):
    """A note may name a goal of the same stay's plan only."""

    rule = "goal_must_be_in_plan"
    field = "goal_id"
