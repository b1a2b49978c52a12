"""Rule violations of intake's domain. Each names the rule and, where there is one, the field."""

from __future__ import annotations

import uuid

from werkstattnetz_shared.rules import RuleFailure, RuleViolated


class IntakeRuleViolated(RuleViolated):
    rule = "intake_rule"


class RulesNotMet(IntakeRuleViolated):
    """Several rules were checked together and at least one failed; the answer names every one."""

    rule = "rules_not_met"

    def __init__(self, message: str, failures: list[RuleFailure]) -> None:
        super().__init__(message)
        self._failures = failures

    def failures(self) -> list[RuleFailure]:
        return list(self._failures)


class NotEligible(RulesNotMet):
    rule = "eligibility_not_met"


class FundingInvalid(RulesNotMet):
    rule = "funding_invalid"


# --- dates ------------------------------------------------------------------------------------


class DateInFuture(IntakeRuleViolated):
    """Facts are recorded when they happened; a future date is a typing mistake (or backdating's twin)."""

    rule = "date_not_in_future"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class DateBeforeReferral(IntakeRuleViolated):
    """Nothing about a referral happens before it was received; backdating would also dodge the age rule."""

    rule = "date_not_before_referral"

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class EnrolmentBeforePreviousExit(IntakeRuleViolated):
    """A re-entry starts after the previous stay ended; stays never overlap."""

    rule = "enrolled_on_not_before_previous_exit"
    field = "enrolled_on"


class WithdrawalBeforeConsent(IntakeRuleViolated):
    """A consent cannot be withdrawn before it was given."""

    rule = "withdrawn_on_not_before_given_on"
    field = "withdrawn_on"


# --- state conflicts (409) ------------------------------------------------------------------------


class ReferralNotInRightState(IntakeRuleViolated):
    """A transition the referral's current state does not allow; the message names that state."""

    def __init__(self, message: str, rule: str, current_state: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.current_state = current_state

    def failures(self) -> list[RuleFailure]:
        return [RuleFailure(self.rule, "status", f"the referral is {self.current_state}")]


class SamePersonAlreadyKnown(IntakeRuleViolated):
    """A referral for a person intake knows already: link it to them (re-entry) or check the data."""

    rule = "same_person_already_known"

    def __init__(self, message: str, participant_id: uuid.UUID) -> None:
        super().__init__(message)
        self.participant_id = participant_id
        self.conflicting_id = participant_id


class OpenReferralExists(IntakeRuleViolated):
    rule = "one_open_referral_per_person"


class CurrentlyEnrolled(IntakeRuleViolated):
    rule = "not_currently_enrolled"


class ParticipantDataErased(IntakeRuleViolated):
    rule = "participant_data_erased"


class ConsentAlreadyWithdrawn(IntakeRuleViolated):
    rule = "consent_withdrawn_once"


# --- input that contradicts what intake knows (422) ---------------------------------------------


class DetailsDoNotMatchLinkedPerson(IntakeRuleViolated):
    """A re-entry names a participant, and the name and birth date given must be theirs."""

    rule = "details_match_linked_person"
    field = "participant_id"


class GuardianNameRequired(IntakeRuleViolated):
    rule = "guardian_name_required"
    field = "guardian_name"


# --- not found, or not visible to this staff member (404) ---------------------------------------


class ReferralNotFound(IntakeRuleViolated):
    rule = "referral_must_exist"


class ParticipantNotFound(IntakeRuleViolated):
    rule = "participant_must_exist"


class ConsentNotFound(IntakeRuleViolated):
    rule = "consent_must_exist"
