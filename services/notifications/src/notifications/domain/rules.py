"""Rules as data: which kind of notification tells whom, over which channel, and when.

Admins change them through the API; the defaults (migration 0003) follow the programme's practice:
placements and transfers to the responsible caseworker and the workshop lead, waitlistings and
offered seats to intake staff, an expiring offer to intake staff a day before, repeated absences
and due follow-ups to the caseworker, integrations to the programme manager.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from notifications.domain.errors import NotificationRuleViolated
from notifications.domain.kinds import NotificationKind


class Audience(StrEnum):
    RESPONSIBLE_CASEWORKER = "responsible_caseworker"  # of the participant, from CaseworkerAssigned
    WORKSHOP_LEAD = "workshop_lead"  # of the workshop the event names
    ROLE = "role"  # every active staff member with `role`
    PERSON = "person"  # the staff member `subject`


class RuleChannel(StrEnum):
    PREFERRED = "preferred"  # whatever the staff member chose
    EMAIL = "email"
    INBOX = "inbox"


class Timing(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"  # collected into one mail a day, at the configured digest time


class RuleMustBeComplete(NotificationRuleViolated):
    """A role audience names a role (the HTTP edge checks it is one of the token roles); a person
    audience names a subject; nothing else does."""

    rule = "audience_must_match_its_target"
    field = "audience"


@dataclass(frozen=True)
class NotificationRule:
    rule_id: uuid.UUID
    kind: NotificationKind
    audience: Audience
    role: str | None = None
    subject: str | None = None
    channel: RuleChannel = RuleChannel.PREFERRED
    timing: Timing = Timing.IMMEDIATE
    urgent: bool = False
    """Urgent messages ignore quiet hours."""

    def __post_init__(self) -> None:
        if (self.audience is Audience.ROLE) != (self.role is not None):
            raise RuleMustBeComplete("the audience 'role' needs a role, and only it takes one")
        if (self.audience is Audience.PERSON) != bool(self.subject):
            raise RuleMustBeComplete("the audience 'person' needs a subject, and only it takes one")


class RuleMustBeKnown(NotificationRuleViolated):
    rule = "notification_rule_must_be_known"
    field = "rule_id"
