"""Who may see whose personal data (§35 SGB I: social data stays confidential inside the
organisation too).

Managers and admins see everyone; a caseworker sees the people of their own caseload; intake staff
see a person until they are enrolled (while their latest referral is not). Anyone else is told the
person does not exist (404), so not even existence leaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.domain.person import Person
from intake.domain.referral import ReferralStatus

SEES_EVERYONE = frozenset({"admin", "manager"})


@dataclass(frozen=True)
class Viewer:
    subject: str
    roles: frozenset[str]


@dataclass(frozen=True)
class Visibility:
    """What a viewer may see, in a form a database query can apply too."""

    everyone: bool
    caseload_of: str | None
    until_enrolment: bool

    @classmethod
    def of(cls, viewer: Viewer) -> Visibility:
        return cls(
            everyone=bool(SEES_EVERYONE & viewer.roles),
            caseload_of=viewer.subject if "caseworker" in viewer.roles else None,
            until_enrolment="intake" in viewer.roles,
        )

    def sees(self, person: Person, latest_status: ReferralStatus | None) -> bool:
        """The person, whose latest referral is in `latest_status`."""
        if self._sees_everything_of(person):
            return True
        return self.until_enrolment and latest_status is not ReferralStatus.ENROLLED

    def sees_referral(
        self, person: Person, status: ReferralStatus, latest_status: ReferralStatus | None
    ) -> bool:
        """A referral shows its person's data: intake staff see it while neither it nor the person's
        latest referral is enrolled (an old rejected referral of an enrolled person included)."""
        if self._sees_everything_of(person):
            return True
        return self.until_enrolment and ReferralStatus.ENROLLED not in (status, latest_status)

    def _sees_everything_of(self, person: Person) -> bool:
        return self.everyone or (self.caseload_of is not None and person.caseworker == self.caseload_of)
