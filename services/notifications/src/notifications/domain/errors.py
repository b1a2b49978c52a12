"""Rule violations of notifications' domain. Each names the rule it stands for."""

from werkstattnetz_shared.rules import RuleViolated


class NotificationRuleViolated(RuleViolated):
    rule = "notification_rule"


class DeliveryNotPending(NotificationRuleViolated):
    """A delivery is sent or given up exactly once."""

    rule = "delivery_must_be_pending"
