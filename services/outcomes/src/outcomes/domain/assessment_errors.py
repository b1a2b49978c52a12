"""Rule violations of competence assessments."""

from outcomes.domain.errors import OutcomesRuleViolated


class CompetenceMustBeConfigured(OutcomesRuleViolated):
    rule = "competence_must_be_configured"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class CompetenceScoredOnce(OutcomesRuleViolated):
    rule = "competence_scored_once"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class EntryAndExitAssessedOnce(OutcomesRuleViolated):
    """At most one entry and one exit assessment per stay; periodic ones as often as needed."""

    rule = "entry_and_exit_assessed_once_per_stay"
    field = "kind"


class AssessedWithinStay(OutcomesRuleViolated):
    rule = "assessed_on_within_stay"
    field = "assessed_on"


class AssessmentsInOrder(OutcomesRuleViolated):
    """The entry assessment comes first, the exit assessment last."""

    rule = "entry_first_exit_last"
    field = "assessed_on"


class CompetenceSettingMustBeValid(OutcomesRuleViolated):
    rule = "competences_setting_valid"
