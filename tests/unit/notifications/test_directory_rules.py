"""The staff directory's and the notification rules' own checks: quiet hours (also across
midnight), mail needing an address, and rules naming exactly the target their audience needs."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from notifications.domain.directory import (
    EmailRequiredForMail,
    PreferredChannel,
    QuietHours,
    QuietHoursMustDiffer,
    StaffMember,
)
from notifications.domain.kinds import NotificationKind
from notifications.domain.rules import Audience, NotificationRule, RuleMustBeComplete

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = QuietHours(dt.time(22, 0), dt.time(7, 0))
LUNCH = QuietHours(dt.time(12, 0), dt.time(13, 0))


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (dt.time(21, 59), False),
        (dt.time(22, 0), True),
        (dt.time(23, 59), True),
        (dt.time(0, 0), True),
        (dt.time(6, 59), True),
        (dt.time(7, 0), False),
        (dt.time(12, 0), False),
    ],
)
def test_quiet_hours_may_span_midnight(local: dt.time, quiet: bool) -> None:
    assert NIGHT.contains(local) is quiet


@pytest.mark.parametrize(
    ("local", "quiet"), [(dt.time(11, 59), False), (dt.time(12, 0), True), (dt.time(13, 0), False)]
)
def test_quiet_hours_within_a_day(local: dt.time, quiet: bool) -> None:
    assert LUNCH.contains(local) is quiet


def test_quiet_hours_end_the_next_morning_when_they_began_in_the_evening() -> None:
    evening = dt.datetime(2026, 11, 25, 23, 30, tzinfo=BERLIN)
    assert NIGHT.next_end(evening, BERLIN) == dt.datetime(2026, 11, 26, 7, 0, tzinfo=BERLIN)
    early = dt.datetime(2026, 11, 26, 5, 0, tzinfo=BERLIN)
    assert NIGHT.next_end(early, BERLIN) == dt.datetime(2026, 11, 26, 7, 0, tzinfo=BERLIN)
    daytime = dt.datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN)
    assert NIGHT.next_end(daytime, BERLIN) == daytime


def test_quiet_hours_that_begin_when_they_end_are_refused() -> None:
    with pytest.raises(QuietHoursMustDiffer) as refused:
        QuietHours(dt.time(7, 0), dt.time(7, 0))
    assert (refused.value.rule, refused.value.field) == ("quiet_hours_must_differ", "quiet_hours")


def test_news_waits_for_the_end_of_the_quiet_hours_unless_urgent() -> None:
    member = StaffMember(subject="kim", email="kim@werkstatt.example", quiet_hours=NIGHT)
    night = dt.datetime(2026, 11, 25, 23, 0, tzinfo=BERLIN)
    assert member.when_to_tell(night, BERLIN, urgent=True) == night
    assert member.when_to_tell(night, BERLIN, urgent=False) == dt.datetime(2026, 11, 26, 7, 0, tzinfo=BERLIN)


def test_whoever_wants_mail_needs_an_address() -> None:
    with pytest.raises(EmailRequiredForMail) as refused:
        StaffMember(subject="kim", channel=PreferredChannel.EMAIL)
    assert (refused.value.rule, refused.value.field) == ("email_required_for_mail_channel", "email")
    with pytest.raises(EmailRequiredForMail):
        StaffMember(subject="kim", email="")

    inbox_only = StaffMember(subject="kim", channel=PreferredChannel.INBOX)
    assert not inbox_only.wants_mail()
    assert StaffMember(subject="kim", email="kim@werkstatt.example").wants_mail()


def rule(audience: Audience, role: str | None = None, subject: str | None = None) -> NotificationRule:
    return NotificationRule(uuid.uuid4(), NotificationKind.PLACEMENT, audience, role=role, subject=subject)


def test_rules_name_exactly_the_target_their_audience_needs() -> None:
    assert rule(Audience.ROLE, role="intake").role == "intake"
    assert rule(Audience.PERSON, subject="kim").subject == "kim"
    assert rule(Audience.RESPONSIBLE_CASEWORKER).audience is Audience.RESPONSIBLE_CASEWORKER
    assert rule(Audience.WORKSHOP_LEAD).audience is Audience.WORKSHOP_LEAD


@pytest.mark.parametrize(
    ("audience", "role", "subject"),
    [
        (Audience.ROLE, None, None),
        (Audience.PERSON, None, None),
        (Audience.PERSON, None, ""),
        (Audience.PERSON, "intake", "kim"),
        (Audience.ROLE, "intake", "kim"),
        (Audience.WORKSHOP_LEAD, "intake", None),
        (Audience.RESPONSIBLE_CASEWORKER, None, "kim"),
    ],
)
def test_incomplete_or_overfull_rules_are_refused(
    audience: Audience, role: str | None, subject: str | None
) -> None:
    with pytest.raises(RuleMustBeComplete) as refused:
        rule(audience, role=role, subject=subject)
    assert refused.value.rule == "audience_must_match_its_target"
