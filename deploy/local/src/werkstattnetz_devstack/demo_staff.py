"""The demo's staff: a small team in notifications' staff directory, a lead for each workshop that
has none, and a caseworker for each of today's enrolments, so the SMTP sink shows who is told what
(caseworkers, workshop leads, intake, the manager; one of them reads English).

Staff data only (token subjects, addresses on the local mail sink); nothing about young people.
"""

from __future__ import annotations

from typing import Any, Protocol

MAIL_DOMAIN = "werkstattnetz.localhost"
CASEWORKERS = ("jana.sommer", "tom.becker")
TEAM: dict[str, dict[str, Any]] = {
    "jana.sommer": {"roles": ["caseworker"], "language": "de"},
    "tom.becker": {"roles": ["caseworker"], "language": "en"},
    "ina.kraus": {"roles": ["intake"], "language": "de"},
    "mara.vogel": {
        "roles": ["manager"],
        "language": "de",
        "quiet_hours": {"from": "20:00", "until": "07:00"},
    },
}


class DemoCalls(Protocol):
    async def put(self, service: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None: ...
    async def patch(
        self, service: str, path: str, body: dict[str, Any]
    ) -> dict[str, Any] | None: ...


def caseworker_for(number: int) -> str:
    """Today's enrolments alternate between the two caseworkers (stable across re-runs)."""
    return CASEWORKERS[number % len(CASEWORKERS)]


def lead_of(workshop: dict[str, Any]) -> str:
    return f"lead.{workshop['work_area'].replace('_', '-')}"


def directory_entries(workshops: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The team and every workshop's lead (its own, if it has one), each with an address."""
    entries = {subject: dict(entry) for subject, entry in TEAM.items()}
    for workshop in workshops:
        lead = workshop.get("lead_instructor") or lead_of(workshop)
        entries.setdefault(lead, {"roles": ["workshop_lead"], "language": "de"})
    for subject, entry in entries.items():
        entry["email"] = f"{subject}@{MAIL_DOMAIN}"
    return entries


async def set_up_staff(demo: DemoCalls, workshops: list[dict[str, Any]]) -> str:
    """PUT the directory (idempotent) and give lead-less workshops a lead; says what it did."""
    led = 0
    for workshop in workshops:
        if not workshop.get("lead_instructor"):
            changed = await demo.patch(
                "placement",
                f"/v1/workshops/{workshop['workshop_id']}",
                {"lead_instructor": lead_of(workshop)},
            )
            led += changed is not None
            workshop["lead_instructor"] = lead_of(workshop)
    entries = directory_entries(workshops)
    for subject, entry in entries.items():
        await demo.put("notifications", f"/v1/staff/{subject}", entry)
    names = ", ".join(sorted(entries))
    return f"staff directory: {len(entries)} staff members ({names}); {led} workshops got a lead"
