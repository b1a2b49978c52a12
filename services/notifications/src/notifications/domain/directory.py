"""The staff directory: who a staff member (their token subject) is for notifications.

Staff data, not the young people's: an e-mail address, roles, how and in which language they want
to be told, and quiet hours in which non-urgent messages wait.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from notifications.domain.errors import NotificationRuleViolated
from notifications.domain.kinds import DEFAULT_LANGUAGE, Language


class PreferredChannel(StrEnum):
    EMAIL = "email"  # a mail, and the item in the inbox
    INBOX = "inbox"  # only the item in the inbox (and its live stream)


class EmailRequiredForMail(NotificationRuleViolated):
    """Whoever wants mail needs an address."""

    rule = "email_required_for_mail_channel"
    field = "email"


class QuietHoursMustDiffer(NotificationRuleViolated):
    rule = "quiet_hours_must_differ"
    field = "quiet_hours"


@dataclass(frozen=True)
class QuietHours:
    """Local times between which non-urgent messages wait; may span midnight (22:00–07:00)."""

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise QuietHoursMustDiffer(f"quiet hours from {self.start} until {self.end} are empty")

    def contains(self, local: dt.time) -> bool:
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_end(self, now: dt.datetime, zone: ZoneInfo) -> dt.datetime:
        """The moment (aware, UTC) the quiet hours around `now` end; `now` itself outside them."""
        local = now.astimezone(zone)
        if not self.contains(local.time()):
            return now
        day = local.date() if local.time() < self.end else local.date() + dt.timedelta(days=1)
        return dt.datetime.combine(day, self.end, zone).astimezone(dt.UTC)


@dataclass(frozen=True)
class StaffMember:
    subject: str
    email: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    channel: PreferredChannel = PreferredChannel.EMAIL
    language: Language = DEFAULT_LANGUAGE
    quiet_hours: QuietHours | None = None
    active: bool = True

    def __post_init__(self) -> None:
        if self.channel is PreferredChannel.EMAIL and not self.email:
            raise EmailRequiredForMail(f"staff member {self.subject} wants mail but has no e-mail address")

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def wants_mail(self) -> bool:
        return self.channel is PreferredChannel.EMAIL and self.email is not None

    def when_to_tell(self, now: dt.datetime, zone: ZoneInfo, *, urgent: bool) -> dt.datetime:
        """Urgent news goes at once; other news waits for the end of the quiet hours."""
        if urgent or self.quiet_hours is None:
            return now
        return self.quiet_hours.next_end(now, zone)


class StaffMemberMustBeKnown(NotificationRuleViolated):
    """Only the admins put staff members into the directory; nobody is created by changing settings."""

    rule = "staff_member_must_be_known"
    field = "subject"
