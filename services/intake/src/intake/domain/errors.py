"""Rule violations of intake's domain. Each names the rule and, where there is one, the field."""

from werkstattnetz_shared.rules import RuleViolated


class IntakeRuleViolated(RuleViolated):
    rule = "intake_rule"


class PersonOutsideAgeRange(IntakeRuleViolated):
    rule = "age_between_15_and_25"
    field = "birth_date"


class ConsentMissing(IntakeRuleViolated):
    rule = "consent_to_data_processing_required"
    field = "consent_to_data_processing"


class EnrolmentDateInFuture(IntakeRuleViolated):
    """An enrolment is recorded when it happens; a future date would block the person's exit."""

    rule = "enrolled_on_not_in_future"
    field = "enrolled_on"


class EnrolmentDateBeforeReferral(IntakeRuleViolated):
    """Nobody is enrolled before they were referred; backdating would also dodge the age rule."""

    rule = "enrolled_on_not_before_referral"
    field = "enrolled_on"


class ReferralAlreadyEnrolled(IntakeRuleViolated):
    rule = "enrol_only_once"


class ReferralNotFound(IntakeRuleViolated):
    rule = "referral_must_exist"


class ParticipantNotFound(IntakeRuleViolated):
    rule = "participant_must_exist"
