"""The base of every service's rule violations: a domain error that names the rule it stands for.

Plain Python on purpose, so domains can subclass it without importing a web framework; the entry
points decide which HTTP status a rule answers with (`werkstattnetz_shared.web.errors`).
"""

from __future__ import annotations


class RuleViolated(Exception):
    """A business rule refused a command. `field` names the input the rule is about, if any."""

    rule: str = "rule"
    field: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
