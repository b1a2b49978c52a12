"""Rule violations of outcomes' domain. Each names the rule and, where there is one, the field."""

from werkstattnetz_shared.rules import RuleViolated


class OutcomesRuleViolated(RuleViolated):
    rule = "outcomes_rule"


class ParticipantMustBeKnown(OutcomesRuleViolated):
    """Outcomes has not (yet) seen the participant's enrolment."""

    rule = "participant_must_be_enrolled"


class ExitOnlyOnce(OutcomesRuleViolated):
    rule = "exit_only_once"


class ExitDateNotInFuture(OutcomesRuleViolated):
    rule = "exit_date_not_in_future"
    field = "exit_date"


class ExitDateNotBeforeEnrolment(OutcomesRuleViolated):
    rule = "exit_date_not_before_enrolment"
    field = "exit_date"


class PeriodMustRunForward(OutcomesRuleViolated):
    rule = "exited_from_not_after_exited_to"
    field = "exited_from"


class NextStepOnlyForIntegrations(OutcomesRuleViolated):
    """A kind of next step describes where an integration went; other exits have none."""

    rule = "next_step_only_for_integrations"
    field = "next_step"


class NextStepMustFitDestination(OutcomesRuleViolated):
    rule = "next_step_must_fit_destination"
    field = "next_step"


class ExitReasonMustFitDestination(OutcomesRuleViolated):
    rule = "exit_reason_must_fit_destination"
    field = "reason"


class FollowUpMustBeKnown(OutcomesRuleViolated):
    rule = "follow_up_must_be_known"


class FollowUpMustBeDue(OutcomesRuleViolated):
    """A six-month follow-up asks where someone is six months on, not earlier."""

    rule = "follow_up_must_be_due"


class FollowUpRecordedOnce(OutcomesRuleViolated):
    rule = "follow_up_recorded_once"


class FollowUpDateNotInFuture(OutcomesRuleViolated):
    rule = "recorded_on_not_in_future"
    field = "recorded_on"


class FollowUpDateNotBeforeDue(OutcomesRuleViolated):
    rule = "recorded_on_not_before_due_on"
    field = "recorded_on"
