"""The base of every service's rule violations: a domain error that names the rule it stands for.

Plain Python on purpose, so domains can subclass it without importing a web framework; the entry
points decide which HTTP status a rule answers with (`werkstattnetz_shared.web.errors`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RuleFailure:
    """One failed rule, about one input."""

    rule: str
    field: str
    message: str


class RuleViolated(Exception):
    """A business rule refused a command. `field` names the input the rule is about, if any;
    `conflicting_id` the record a conflict is with (e.g. the person already known)."""

    rule: str = "rule"
    field: str | None = None
    conflicting_id: uuid.UUID | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def failures(self) -> list[RuleFailure]:
        """Every rule that failed; several when a command was checked against many at once."""
        return [RuleFailure(self.rule, self.field, self.message)] if self.field else []
