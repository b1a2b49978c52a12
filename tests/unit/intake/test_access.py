"""Who sees whose personal data (§35 SGB I): managers and admins everyone, caseworkers their own
caseload, intake staff a person until they are enrolled; everyone else nobody. A staff member with
several roles sees exactly what each of their roles sees."""

from __future__ import annotations

import itertools
import uuid

import pytest

from intake.domain.access import Viewer, Visibility
from intake.domain.person import Person
from intake.domain.referral import ReferralStatus
from tests.unit.intake.builders import person

S = ReferralStatus
ME = "cara.caseworker"
ROLES = ("intake", "caseworker", "manager", "admin", "reporting", "monitoring")
EVERY_ROLE_COMBINATION = [
    frozenset(combination)
    for size in range(len(ROLES) + 1)
    for combination in itertools.combinations(ROLES, size)
]

# The people a staff member may meet: whose caseload they are in, and their latest referral's state.
PEOPLE: dict[str, tuple[str | None, ReferralStatus | None]] = {
    "referred": (None, S.RECEIVED),
    "interviewed": (None, S.INTERVIEWED),
    "rejected": (None, S.REJECTED),
    "withdrew": (None, S.WITHDRAWN),
    "enrolled, no caseworker": (None, S.ENROLLED),
    "enrolled, my caseload": (ME, S.ENROLLED),
    "enrolled, another caseload": ("otto.caseworker", S.ENROLLED),
    "referred again, my caseload": (ME, S.RECEIVED),
    "referred again, another caseload": ("otto.caseworker", S.INTERVIEWED),
    "no referral": (None, None),
}
NOT_ENROLLED = {
    "referred",
    "interviewed",
    "rejected",
    "withdrew",
    "referred again, my caseload",
    "referred again, another caseload",
    "no referral",
}
MY_CASELOAD = {"enrolled, my caseload", "referred again, my caseload"}
SEEN_BY_ROLE = {
    "intake": NOT_ENROLLED,
    "caseworker": MY_CASELOAD,
    "manager": set(PEOPLE),
    "admin": set(PEOPLE),
    "reporting": set(),
    "monitoring": set(),
}


def someone(caseworker: str | None) -> Person:
    return person(caseworker=caseworker)


def seen_by(roles: frozenset[str]) -> set[str]:
    visibility = Visibility.of(Viewer(ME, roles))
    return {
        name for name, (caseworker, latest) in PEOPLE.items() if visibility.sees(someone(caseworker), latest)
    }


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_sees(role: str) -> None:
    assert seen_by(frozenset({role})) == SEEN_BY_ROLE[role]


@pytest.mark.parametrize("roles", EVERY_ROLE_COMBINATION, ids=lambda roles: "+".join(sorted(roles)) or "none")
def test_several_roles_see_what_each_of_them_sees(roles: frozenset[str]) -> None:
    expected = set().union(*(SEEN_BY_ROLE[role] for role in roles))
    assert seen_by(roles) == expected


@pytest.mark.parametrize("roles", EVERY_ROLE_COMBINATION, ids=lambda roles: "+".join(sorted(roles)) or "none")
def test_the_visibility_a_database_query_applies(roles: frozenset[str]) -> None:
    visibility = Visibility.of(Viewer(ME, roles))
    assert visibility.everyone is bool({"manager", "admin"} & roles)
    assert visibility.caseload_of == (ME if "caseworker" in roles else None)
    assert visibility.until_enrolment is ("intake" in roles)


def test_a_caseload_is_the_staff_members_own() -> None:
    visibility = Visibility.of(Viewer("otto.caseworker", frozenset({"caseworker"})))
    assert not visibility.sees(someone(ME), S.ENROLLED)
    assert visibility.sees(someone("otto.caseworker"), S.ENROLLED)
    assert not Visibility.of(Viewer("", frozenset({"caseworker"}))).sees(someone(None), S.ENROLLED)


# A referral shows its person's data, so it is seen only by who sees the person, and intake staff
# see no enrolled referral: (referral's own state, the person's latest referral's state).
REFERRALS = {
    "open, latest": (S.RECEIVED, S.RECEIVED),
    "rejected, latest": (S.REJECTED, S.REJECTED),
    "rejected before a re-referral": (S.REJECTED, S.INTERVIEWED),
    "rejected before an enrolment": (S.REJECTED, S.ENROLLED),
    "enrolled, latest": (S.ENROLLED, S.ENROLLED),
    "enrolled before a re-referral": (S.ENROLLED, S.RECEIVED),
}


@pytest.mark.parametrize(
    ("caseworker", "roles", "seen"),
    [
        (None, {"intake"}, {"open, latest", "rejected, latest", "rejected before a re-referral"}),
        (None, {"caseworker"}, set()),
        (ME, {"caseworker"}, set(REFERRALS)),
        ("otto.caseworker", {"caseworker"}, set()),
        (None, {"manager"}, set(REFERRALS)),
        (None, {"admin"}, set(REFERRALS)),
        (None, {"reporting"}, set()),
        (
            ME,
            {"intake", "caseworker"},
            set(REFERRALS),
        ),
    ],
)
def test_which_referrals_each_role_sees(caseworker: str | None, roles: set[str], seen: set[str]) -> None:
    visibility = Visibility.of(Viewer(ME, frozenset(roles)))
    young_person = someone(caseworker)
    assert {
        name
        for name, (status, latest) in REFERRALS.items()
        if visibility.sees_referral(young_person, status, latest)
    } == seen


def test_an_unknown_viewer_sees_nobody() -> None:
    visibility = Visibility.of(Viewer(str(uuid.uuid4()), frozenset()))
    assert not visibility.sees(someone(None), S.RECEIVED)
    assert not visibility.sees_referral(someone(None), S.RECEIVED, S.RECEIVED)
