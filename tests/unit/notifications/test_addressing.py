"""Who is told: the rules for a kind applied to the staff directory and to what the event names."""

from __future__ import annotations

import uuid

from notifications.domain.addressing import address
from notifications.domain.directory import PreferredChannel, StaffMember
from notifications.domain.kinds import Language, NotificationKind
from notifications.domain.rules import Audience, NotificationRule, RuleChannel, Timing

CASEWORKER = StaffMember(
    "cw-anna", "anna@werkstatt.example", frozenset({"caseworker"}), language=Language.ENGLISH
)
LEAD = StaffMember("lead-ben", "ben@werkstatt.example", frozenset({"workshop_lead"}))
INTAKE_1 = StaffMember("in-cem", "cem@werkstatt.example", frozenset({"intake"}))
INTAKE_2 = StaffMember("in-dana", None, frozenset({"intake"}), channel=PreferredChannel.INBOX)
STAFF = [CASEWORKER, LEAD, INTAKE_1, INTAKE_2]


def rule(audience: Audience, **more: object) -> NotificationRule:
    return NotificationRule(uuid.uuid4(), NotificationKind.PLACEMENT, audience, **more)  # type: ignore[arg-type]


PLACEMENT_RULES = [rule(Audience.RESPONSIBLE_CASEWORKER), rule(Audience.WORKSHOP_LEAD)]


def test_a_placement_tells_the_caseworker_and_the_workshop_lead_by_their_preferred_channel() -> None:
    told = address(PLACEMENT_RULES, STAFF, caseworker="cw-anna", workshop_lead="lead-ben")
    assert {(n.subject, n.by_mail) for n in told.notices} == {("cw-anna", True), ("lead-ben", True)}
    assert not told.awaiting_caseworker
    assert not told.office


def test_an_unknown_caseworker_is_waited_for_and_a_missing_lead_falls_to_the_office() -> None:
    told = address(PLACEMENT_RULES, STAFF, caseworker=None, workshop_lead=None)
    assert told.notices == ()
    assert told.awaiting_caseworker
    assert told.office


def test_a_role_reaches_every_active_member_and_inbox_only_members_get_no_mail() -> None:
    told = address([rule(Audience.ROLE, role="intake")], STAFF, caseworker=None, workshop_lead=None)
    assert {(n.subject, n.by_mail) for n in told.notices} == {("in-cem", True), ("in-dana", False)}
    inactive = [StaffMember("in-cem", "cem@werkstatt.example", frozenset({"intake"}), active=False)]
    assert address([rule(Audience.ROLE, role="intake")], inactive, caseworker=None, workshop_lead=None).office


def test_a_subject_outside_the_directory_gets_an_inbox_item_and_the_office_a_mail() -> None:
    told = address(PLACEMENT_RULES[:1], STAFF, caseworker="cw-unknown", workshop_lead=None)
    assert [(n.subject, n.member, n.by_mail) for n in told.notices] == [("cw-unknown", None, False)]
    assert told.office


def test_two_rules_naming_one_person_give_one_notice_with_the_most_insistent_settings() -> None:
    rules = [
        rule(Audience.PERSON, subject="lead-ben", channel=RuleChannel.INBOX, timing=Timing.DIGEST),
        rule(Audience.WORKSHOP_LEAD, urgent=True),
    ]
    [notice] = address(rules, STAFF, caseworker=None, workshop_lead="lead-ben").notices
    assert (notice.by_mail, notice.timing, notice.urgent) == (True, Timing.IMMEDIATE, True)
