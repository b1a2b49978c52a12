"""The notifications part of the care-seat story: who is in the staff directory, the partner system
that subscribed by webhook, a caseworker's live inbox, and what everyone was told in the end.

Carla (caseworker, reads English) is responsible for Lea and Mia; Lena leads the care workshop
(German); Ina does intake (German); Mara manages the programme. A funder's portal subscribed to
placements by signed webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import httpx

from tests.e2e.conftest import STAFF_EMAIL, RunningSystem
from tests.support.intake_flows import ADMIN, MANAGER
from tests.support.tokens import auth_header
from tests.support.webhook_receiver import WebhookReceiver

CARLA, LENA, INA, MARA = "carla.case", "lena.lead", "ina.intake", "mara.manager"
DIRECTORY: dict[str, dict[str, Any]] = {
    CARLA: {"email": "carla@werkstatt.test", "roles": ["caseworker"], "language": "en"},
    LENA: {"email": "lena@werkstatt.test", "roles": ["workshop_lead"], "language": "de"},
    INA: {"email": "ina@werkstatt.test", "roles": ["intake"], "language": "de"},
    MARA: {"email": "mara@werkstatt.test", "roles": ["manager"], "language": "de"},
}
PORTAL_PATH = "/jobcenter-portal"
PERSONAL = ("Lea", "Jonas", "Mia", "Beispiel", "Jugendamt", "Wolf")


async def set_up_who_is_told(
    client: httpx.AsyncClient, system: RunningSystem, portal: WebhookReceiver
) -> None:
    """The directory, the care workshop's lead, and the portal's webhook (its secret shown once)."""
    notifications, placement = system.urls["notifications"], system.urls["placement"]
    for subject, entry in DIRECTORY.items():
        put = await client.put(f"{notifications}/v1/staff/{subject}", json=entry, headers=ADMIN)
        assert put.status_code == 201, put.text
    workshops = (await client.get(f"{placement}/v1/workshops", headers=MANAGER)).json()
    items = workshops["items"] if isinstance(workshops, dict) else workshops
    care = next(w for w in items if w["work_area"] == "care")
    led = await client.patch(
        f"{placement}/v1/workshops/{care['workshop_id']}", json={"lead_instructor": LENA}, headers=ADMIN
    )
    assert led.status_code == 200, led.text
    subscribed = await client.post(
        f"{notifications}/v1/webhooks",
        json={"name": "jobcenter-portal", "url": portal.url(PORTAL_PATH), "kinds": ["placement"]},
        headers=ADMIN,
    )
    assert subscribed.status_code == 201, subscribed.text
    portal.set_secret(PORTAL_PATH, subscribed.json()["secret"])
    listed = await client.get(f"{notifications}/v1/webhooks", headers=ADMIN)
    assert "secret" not in json.dumps(listed.json())


@dataclass
class LiveInbox:
    """A staff front-end connected to its inbox's Server-Sent Events stream."""

    events: list[dict[str, Any]] = field(default_factory=list)
    connected: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_for(self, participant_id: str, kind: str, timeout_s: float = 30) -> dict[str, Any]:
        async with asyncio.timeout(timeout_s):
            while True:
                for event in self.events:
                    if (event["participant_id"], event["kind"]) == (participant_id, kind):
                        return event
                await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def live_inbox_of(system: RunningSystem, subject: str, role: str) -> AsyncIterator[LiveInbox]:
    inbox = LiveInbox()

    async def listen() -> None:
        headers = auth_header(role, subject=subject)
        async with (
            httpx.AsyncClient(base_url=system.urls["notifications"], timeout=None) as client,
            client.stream("GET", "/v1/inbox/stream", headers=headers) as response,
        ):
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            inbox.connected.set()
            data: list[str] = []
            async for line in response.aiter_lines():
                if line.startswith("data:"):
                    data.append(line.removeprefix("data:").strip())
                elif line == "" and data:
                    inbox.events.append(json.loads("\n".join(data)))
                    data = []

    task = asyncio.create_task(listen())
    try:
        async with asyncio.timeout(15):
            await inbox.connected.wait()
        yield inbox
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def mails_to(mails: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [mail for mail in mails if mail["To"] == address]


def text_of(mail: EmailMessage) -> str:
    return str(mail.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]


def html_of(mail: EmailMessage) -> str:
    return str(mail.get_body(preferencelist=("html",)).get_content())  # type: ignore[union-attr]


# Who is told what in the story (the rules' defaults): (address, participant, Content-Language).
def expected_mails(lea: str, jonas: str, mia: str) -> list[tuple[str, str, str]]:
    carla, lena, ina, mara = (str(DIRECTORY[s]["email"]) for s in (CARLA, LENA, INA, MARA))
    return sorted(
        [
            (carla, lea, "en"),  # Lea placed: her caseworker …
            (lena, lea, "de"),  # … and the care workshop's lead
            (ina, jonas, "de"),  # Jonas waitlisted: intake
            (ina, mia, "de"),  # Mia waitlisted: intake
            (mara, lea, "de"),  # Lea's integration: the manager
            (ina, jonas, "de"),  # the seat offered to Jonas: intake …
            (ina, jonas, "de"),  # … and reminded before it expires (nobody answered)
            (ina, mia, "de"),  # the seat offered to Mia (accepted at once: no reminder)
            (carla, mia, "en"),  # Mia placed: her caseworker …
            (lena, mia, "de"),  # … and the lead
            (carla, lea, "en"),  # Lea's six-month follow-up is due: her caseworker
        ]
    )


def told(mails: list[EmailMessage], people: dict[str, str]) -> list[tuple[str, str, str]]:
    """(address, participant, language) of each mail, by the participant id its text names."""
    result = []
    for mail in mails:
        text = text_of(mail)
        [participant] = [pid for pid in people.values() if pid in text]
        result.append((str(mail["To"]), participant, str(mail["Content-Language"])))
    return sorted(result)


def assert_no_personal_data(mails: list[EmailMessage]) -> None:
    names = re.compile(r"\b(" + "|".join(PERSONAL) + r")\b")
    for mail in mails:
        for part in (text_of(mail), html_of(mail), str(mail["Subject"])):
            assert not names.search(part), (names.search(part), mail["Subject"])
    assert not mails_to(mails, STAFF_EMAIL), "nobody in the story is unknown: the office gets nothing"
