"""The chaos test's clients: a stream of referrals, enrolments and exits through the HTTP APIs.

They behave like a careful front-end: a connection error, a timeout or a 503 (service down,
database restarting) is retried with a short backoff, under the same `Idempotency-Key` for all
attempts of one request. Each young person goes through intake's workflow: referral (the
participant id comes with it), intake interview, consent to data processing, enrolment. An
enrolment counts as acknowledged only with a 201 — the first answer or, after a lost one, its
replay (`Idempotent-Replayed: true`). Should a service not honour the key, a retry after a lost
201 gets a 409 `enrol_only_while_open` instead (the enrolling client is a manager: intake staff
no longer see an enrolled referral, they would get a 404): the earlier attempt committed, which
GET /v1/referrals/{id} confirms. Exits work alike (`exit_only_once`).
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import random
import string
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.e2e.chaos_system import ChaosSystem
from tests.support.tokens import auth_header
from werkstattnetz_shared.events.vocabulary import Destination, Funder, LegalBasis, ReferralSource, WorkArea

INTAKE = auth_header("intake", subject="chaos.intake")
MANAGER = auth_header("manager", subject="chaos.manager")  # enrols: sees the referral after it, too
CASEWORKER = auth_header("caseworker", subject="chaos.caseworker")
RETRYABLE_STATUSES = frozenset({502, 503, 504})
# A single logical request gives up after this long; far longer than any outage in the schedule.
REQUEST_DEADLINE_S = 120.0
EXIT_SHARE = 0.45
# Enrolments and exits whose first answer is lost on the way back (see ChaosClient._call).
LOST_ANSWER_SHARE = 0.05
EXIT_DESTINATIONS = (
    Destination.APPRENTICESHIP,
    Destination.EMPLOYMENT,
    Destination.THERAPY,
    Destination.SCHOOL,
    Destination.DROPOUT,
)
LEGAL_BASIS = {
    Funder.JOBCENTER: LegalBasis.SGB2_16_ACTIVATION,
    Funder.YOUTH_OFFICE: LegalBasis.SGB8_13_YOUTH_SOCIAL_WORK,
    Funder.CITY: LegalBasis.CITY,
    Funder.OTHER: LegalBasis.OTHER,
}
INTERVIEW = {"has_completed_vocational_training": False, "is_employed": False}
CONSENT = {"purpose": "data_processing", "given_by": "participant"}


@dataclass
class Ledger:
    """What the clients were told: the facts the system must keep, whatever happened to it."""

    referrals: int = 0
    enrolled: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # participant → referral
    enrolled_by_409: int = 0
    enrolled_by_replay: int = 0  # a retry got the first answer again through its Idempotency-Key
    exits: dict[uuid.UUID, Destination] = field(default_factory=dict)
    exits_by_409: int = 0
    exits_by_replay: int = 0
    answers_lost: int = 0  # answers an AnswerDropper kept from the clients
    retries: collections.Counter[str] = field(default_factory=collections.Counter)
    unexpected: list[str] = field(default_factory=list)


class GaveUp(RuntimeError):
    """A request still failed after REQUEST_DEADLINE_S of retries."""


class ChaosClient:
    def __init__(
        self,
        system: ChaosSystem,
        http: httpx.AsyncClient,
        ledger: Ledger,
        seed: int,
        answers_lost_on_the_way: dict[str, str],
    ) -> None:
        """`answers_lost_on_the_way` maps a service's URL to an `AnswerDropper`'s in front of it."""
        self._system = system
        self._http = http
        self._ledger = ledger
        self._random = random.Random(seed)
        self._droppers = answers_lost_on_the_way

    async def refer_and_enrol(self) -> uuid.UUID | None:
        """One young person referred, interviewed, consenting and enrolled; their participant id
        once the enrolment is acknowledged."""
        intake = self._system.url("intake")
        referral = await self._call("POST", f"{intake}/v1/referrals", INTAKE, self._young_person())
        if referral.status_code != 201:
            self._unexpected("referral", referral)
            return None
        self._ledger.referrals += 1
        referral_id = uuid.UUID(referral.json()["referral_id"])
        participant_id = uuid.UUID(referral.json()["participant_id"])
        interview = await self._call(
            "POST", f"{intake}/v1/referrals/{referral_id}/interview", INTAKE, INTERVIEW
        )
        if interview.status_code != 200:
            self._unexpected("interview", interview)
            return None
        consent = await self._call(
            "POST", f"{intake}/v1/participants/{participant_id}/consents", INTAKE, CONSENT
        )
        if consent.status_code != 201:
            self._unexpected("consent", consent)
            return None
        enrolled = await self._call(
            "POST",
            f"{intake}/v1/referrals/{referral_id}/enrol",
            MANAGER,
            {"funding": self._funding()},
            lose_first_answer=self._unlucky(),
        )
        if enrolled.status_code == 201:
            if uuid.UUID(enrolled.json()["participant_id"]) != participant_id:
                self._unexpected("enrolment of another participant than referred", enrolled)
                return None
            self._ledger.enrolled_by_replay += _replayed(enrolled)
        elif enrolled.status_code == 409 and _error_code(enrolled) == "enrol_only_while_open":
            await self._confirm_enrolled(referral_id, participant_id)
            self._ledger.enrolled_by_409 += 1
        else:
            self._unexpected("enrolment", enrolled)
            return None
        self._ledger.enrolled[participant_id] = referral_id
        return participant_id

    def wants_to_exit(self) -> bool:
        return self._random.random() < EXIT_SHARE

    async def placement_decided(self, participant_id: uuid.UUID) -> bool:
        """Whether outcomes heard of the placement decision (so the exit cannot overtake it)."""
        outcome = await self._call(
            "GET", f"{self._system.url('outcomes')}/v1/participants/{participant_id}/outcome", CASEWORKER
        )
        return outcome.status_code == 200 and outcome.json()["status"] in {"placed", "waitlisted"}

    async def exit(self, participant_id: uuid.UUID) -> None:
        destination = self._random.choice(EXIT_DESTINATIONS)
        body = {"destination": destination.value, "exit_date": _programme_today()}
        url = f"{self._system.url('outcomes')}/v1/participants/{participant_id}/exit"
        response = await self._call("POST", url, CASEWORKER, body, lose_first_answer=self._unlucky())
        if response.status_code == 201:
            self._ledger.exits_by_replay += _replayed(response)
        elif response.status_code == 409 and _error_code(response) == "exit_only_once":
            self._ledger.exits_by_409 += 1
        else:
            self._unexpected("exit", response)
            return
        self._ledger.exits[participant_id] = destination

    async def _confirm_enrolled(self, referral_id: uuid.UUID, participant_id: uuid.UUID) -> None:
        """The enrolment committed, only its answer was lost: the referral must say so."""
        referral = await self._call(
            "GET", f"{self._system.url('intake')}/v1/referrals/{referral_id}", MANAGER
        )
        assert referral.status_code == 200, referral.text
        seen = referral.json()
        assert (seen["status"], seen["person"]["participant_id"]) == ("enrolled", str(participant_id)), (
            f"409 enrol_only_while_open, yet referral {referral_id} is not enrolled: {seen}"
        )

    async def _call(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, str] | None = None,
        lose_first_answer: bool = False,
    ) -> httpx.Response:
        """Retry what the service could not answer; return the first real answer.

        With `lose_first_answer` the first attempt goes through an `AnswerDropper`: the service
        handles (and commits) it, but its answer is lost, as when a connection breaks on the way
        back; the retries go to the service directly.
        """
        if method == "POST":
            headers = headers | {"Idempotency-Key": str(uuid.uuid4())}
        deadline = time.monotonic() + REQUEST_DEADLINE_S
        backoff = 0.1
        attempt_url = self._through_dropper(url) if lose_first_answer else url
        while True:
            try:
                response = await self._http.request(
                    method, attempt_url, headers=headers, json=body, params=params
                )
                if response.status_code not in RETRYABLE_STATUSES:
                    return response
                reason = f"HTTP {response.status_code}"
            except httpx.TransportError as error:
                reason = type(error).__name__
            attempt_url = url
            self._ledger.retries[reason] += 1
            if time.monotonic() > deadline:
                raise GaveUp(f"{method} {url}: still {reason} after {REQUEST_DEADLINE_S:.0f}s")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 1.0)

    def _through_dropper(self, url: str) -> str:
        for service_url, dropper_url in self._droppers.items():
            if url.startswith(service_url):
                return dropper_url + url.removeprefix(service_url)
        raise ValueError(f"no AnswerDropper in front of {url}")

    def _unlucky(self) -> bool:
        return self._random.random() < LOST_ANSWER_SHARE

    def _unexpected(self, what: str, response: httpx.Response) -> None:
        correlation = response.headers.get("x-correlation-id", "?")
        self._ledger.unexpected.append(
            f"{what}: HTTP {response.status_code} (correlation {correlation}) {response.text[:300]}"
        )

    def _young_person(self) -> dict[str, Any]:
        areas = list(WorkArea)
        self._random.shuffle(areas)
        today = dt.date.fromisoformat(_programme_today())
        return {
            # intake compares names by their letters only, so a number would not tell people apart.
            "first_name": "Chaos" + "".join(self._random.choices(string.ascii_lowercase, k=12)),
            "last_name": "Beispiel",
            "birth_date": today.replace(year=today.year - self._random.randint(16, 24), day=1).isoformat(),
            "referral_source": self._random.choice(list(ReferralSource)).value,
            "preferred_work_areas": [area.value for area in areas[: self._random.randint(1, 2)]],
        }

    def _funding(self) -> list[dict[str, Any]]:
        """One funder, or two sharing the place."""
        funders = self._random.sample(list(Funder), self._random.randint(1, 2))
        first_share = 100 if len(funders) == 1 else self._random.randint(1, 99)
        return [
            {"funder": funder.value, "legal_basis": LEGAL_BASIS[funder].value, "share_percent": share}
            for funder, share in zip(funders, (first_share, 100 - first_share), strict=False)
        ]


def _replayed(response: httpx.Response) -> bool:
    return bool(response.headers.get("Idempotent-Replayed") == "true")


def _error_code(response: httpx.Response) -> str | None:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return None


def _programme_today() -> str:
    """The services' idea of today (their default timezone), so no date is refused as future."""
    return dt.datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()


async def enrol_continuously(
    client: ChaosClient, stop: asyncio.Event, exits: asyncio.Queue[uuid.UUID], pause_s: float
) -> None:
    while not stop.is_set():
        participant_id = await client.refer_and_enrol()
        if participant_id is not None and client.wants_to_exit():
            exits.put_nowait(participant_id)
        await asyncio.sleep(pause_s)


async def exit_continuously(
    client: ChaosClient, stop: asyncio.Event, exits: asyncio.Queue[uuid.UUID]
) -> None:
    """Exit people once outcomes knows where they stand; those not ready yet go to the back."""
    while not stop.is_set():
        try:
            participant_id = await asyncio.wait_for(exits.get(), timeout=0.5)
        except TimeoutError:
            continue
        if await client.placement_decided(participant_id):
            await client.exit(participant_id)
        else:
            exits.put_nowait(participant_id)
            await asyncio.sleep(0.2)
