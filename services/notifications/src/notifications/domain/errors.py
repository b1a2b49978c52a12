"""Rule violations of notifications' domain. Each names the rule it stands for."""


class NotificationRuleViolated(Exception):
    rule: str = "notification_rule"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DeliveryNotPending(NotificationRuleViolated):
    """A delivery is sent or given up exactly once."""

    rule = "delivery_must_be_pending"
