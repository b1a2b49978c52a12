"""Rule violations of intake's domain. Each names the rule and, where there is one, the field."""


class IntakeRuleViolated(Exception):
    rule: str = "intake_rule"
    field: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PersonOutsideAgeRange(IntakeRuleViolated):
    rule = "age_between_15_and_25"
    field = "birth_date"


class ConsentMissing(IntakeRuleViolated):
    rule = "consent_to_data_processing_required"
    field = "consent_to_data_processing"


class ReferralAlreadyEnrolled(IntakeRuleViolated):
    rule = "enrol_only_once"


class ReferralNotFound(IntakeRuleViolated):
    rule = "referral_must_exist"


class ParticipantNotFound(IntakeRuleViolated):
    rule = "participant_must_exist"
