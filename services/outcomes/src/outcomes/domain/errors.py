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
