"""Who is told about an occasion: the rules for its kind, applied to the staff directory and to
what the occasion names (the participant's responsible caseworker, the workshop's lead).

Pure: the caller loads the rules, the active staff and the caseworker assignment. The result is
one notice per staff member (several rules naming the same person give one notice: the most
insistent channel, timing and urgency win), plus a note when the caseworker is not known yet, plus
the office when a rule found nobody at all — so nothing is ever told to no one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from notifications.domain.directory import StaffMember
from notifications.domain.rules import Audience, NotificationRule, RuleChannel, Timing


@dataclass(frozen=True)
class StaffNotice:
    subject: str
    member: StaffMember | None
    """None: the subject is not in the directory (an inbox item only, and the office is told)."""
    by_mail: bool
    timing: Timing
    urgent: bool


@dataclass(frozen=True)
class AwaitingCaseworker:
    """How the rules naming the responsible caseworker, who is not known yet, want them told."""

    timing: Timing
    urgent: bool


@dataclass(frozen=True)
class Addressing:
    notices: tuple[StaffNotice, ...]
    awaiting: AwaitingCaseworker | None
    """Set when a rule names the responsible caseworker, who is not known yet."""
    office: bool
    """A rule found nobody (or nobody with an address): the office address is told."""

    @property
    def awaiting_caseworker(self) -> bool:
        return self.awaiting is not None


def address(
    rules: Sequence[NotificationRule],
    staff: Sequence[StaffMember],
    *,
    caseworker: str | None,
    workshop_lead: str | None,
) -> Addressing:
    by_subject = {member.subject: member for member in staff if member.active}
    notices: dict[str, StaffNotice] = {}
    awaiting: AwaitingCaseworker | None = None
    office = False
    for rule in rules:
        subjects: list[str]
        if rule.audience is Audience.RESPONSIBLE_CASEWORKER:
            if caseworker is None:
                awaiting = _still_awaiting(awaiting, rule)
                continue
            subjects = [caseworker]
        elif rule.audience is Audience.WORKSHOP_LEAD:
            subjects = [workshop_lead] if workshop_lead else []
        elif rule.audience is Audience.ROLE:
            subjects = sorted(
                s for s, member in by_subject.items() if rule.role and member.has_role(rule.role)
            )
        else:
            subjects = [rule.subject] if rule.subject else []
        if not subjects:
            office = True
        for subject in subjects:
            notice = _notice(subject, by_subject.get(subject), rule)
            if notice.member is None:
                office = True
            notices[subject] = _merged(notices.get(subject), notice)
    return Addressing(tuple(notices.values()), awaiting, office)


def _still_awaiting(earlier: AwaitingCaseworker | None, rule: NotificationRule) -> AwaitingCaseworker:
    if earlier is None:
        return AwaitingCaseworker(rule.timing, rule.urgent)
    immediate = Timing.IMMEDIATE in (earlier.timing, rule.timing)
    return AwaitingCaseworker(Timing.IMMEDIATE if immediate else Timing.DIGEST, earlier.urgent or rule.urgent)


def _notice(subject: str, member: StaffMember | None, rule: NotificationRule) -> StaffNotice:
    if member is None:
        by_mail = False
    elif rule.channel is RuleChannel.PREFERRED:
        by_mail = member.wants_mail()
    else:
        by_mail = rule.channel is RuleChannel.EMAIL and member.email is not None
    return StaffNotice(subject, member, by_mail, rule.timing, rule.urgent)


def _merged(earlier: StaffNotice | None, later: StaffNotice) -> StaffNotice:
    if earlier is None:
        return later
    immediate = Timing.IMMEDIATE in (earlier.timing, later.timing)
    return StaffNotice(
        later.subject,
        later.member,
        earlier.by_mail or later.by_mail,
        Timing.IMMEDIATE if immediate else Timing.DIGEST,
        earlier.urgent or later.urgent,
    )
