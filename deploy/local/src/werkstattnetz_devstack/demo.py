"""`make demo`: fill the running local stack with a realistic history and print the funder report.

1. Generates `--years` (12) years of stays (`demo_history`, seeded) for the seats placement has, and
   imports them through intake's `POST /v1/imports/history` with an admin token; waits (progress
   bar) until outcomes has recorded every imported exit.
2. Puts a small team into notifications' staff directory and gives every workshop without one a
   lead (`demo_staff`), then refers, interviews and enrols a few dozen young people today through
   intake's normal API, each with a caseworker, so today's waitlists are real and the local mail
   sink shows who is told what.
3. Records the last four weeks' attendance of the people placed and transfers a few of them to a
   free seat in another area (`demo_today`), through placement's API.
4. Prints outcomes' integration report (all years, each year, each work area) and the month's
   absence totals for the Jobcenter.

Running it again is harmless: the same file is not imported twice (intake answers 409, or refuses
the records it already has), today's people and transfers are sent with the same Idempotency-Keys,
and attendance already recorded is not sent again.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import random
import sys
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from werkstattnetz_shared.web.auth import TokenVerifier

from werkstattnetz_devstack.demo_history import DEFAULT_YEARS, DemoHistory, generate_history
from werkstattnetz_devstack.demo_staff import caseworker_for, set_up_staff
from werkstattnetz_devstack.demo_today import WorkshopsToday
from werkstattnetz_devstack.stack_settings import SERVICES, StackSettings

TIMEZONE = ZoneInfo("Europe/Berlin")
FIRST_NAMES = (
    "Lea",
    "Mia",
    "Jonas",
    "Ben",
    "Emma",
    "Finn",
    "Lina",
    "Noah",
    "Aylin",
    "Can",
    "Mila",
    "Paul",
    "Sofia",
    "Elias",
    "Hanna",
    "Luca",
    "Zoe",
    "Milan",
    "Nele",
    "Tim",
)
LAST_NAMES = (
    "Müller",
    "Schmidt",
    "Krause",
    "Yilmaz",
    "Becker",
    "Hoffmann",
    "Wagner",
    "Kaya",
    "Richter",
    "Wolf",
    "Neumann",
    "Schulz",
    "Koch",
    "Lange",
    "Demir",
    "Berg",
)
FUNDING = {
    "jobcenter": [
        {"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 100}
    ],
    "youth_office": [
        {"funder": "youth_office", "legal_basis": "sgb8_13_youth_social_work", "share_percent": 100}
    ],
}
AREAS = ("bike_metal", "garden_landscape", "building_services", "care")


SKIPPED = "the history was imported before: skipped"
OTHER_HISTORY = "an earlier run imported another history (other --seed or --years): skipped"


class StackNotRunningError(RuntimeError):
    """A service of the local stack does not answer."""


def progress(label: str, done: int, total: int) -> None:
    """One line on stderr, redrawn in place: `label [#####·····] done/total`."""
    width = 30
    filled = width * done // total if total else width
    bar = "#" * filled + "·" * (width - filled)
    end = "\n" if done >= total else ""
    print(f"\r{label:<34} [{bar}] {done}/{total}", end=end, file=sys.stderr, flush=True)


class Demo:
    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: StackSettings,
        seed: int,
        years: int = DEFAULT_YEARS,
    ) -> None:
        self.client = client
        self.years = years
        self.url = {service.name: settings.service_url(service) for service in SERVICES}
        verifier = TokenVerifier(
            secret=settings.jwt_secret,
            algorithm="HS256",
            issuer="werkstattnetz",
            audience="werkstattnetz-staff",
        )
        self.admin = {"Authorization": f"Bearer {verifier.issue('demo.admin', ['admin'])}"}
        self.seed = seed
        self.today = dt.datetime.now(TIMEZONE).date()
        self.replayed = False
        """Whether the last POST was answered from an earlier run's Idempotency-Key."""

    async def check_running(self) -> None:
        for name in ("intake", "placement", "outcomes"):
            try:
                ready = await self.client.get(f"{self.url[name]}/health/ready", timeout=5)
            except httpx.HTTPError:
                ready = None
            if ready is None or ready.status_code != 200:
                raise StackNotRunningError(
                    f"{name} does not answer at {self.url[name]}: start the stack with `make up` "
                    "(or `make run` in another terminal), then run `make demo` again"
                )

    async def seats_per_area(self) -> dict[str, int]:
        workshops = await self.get_list("placement", "/v1/workshops")
        seats = dict.fromkeys(AREAS, 0)
        for workshop in workshops:
            seats[workshop["work_area"]] += workshop["seats"]
        return seats

    async def import_history(self, history: DemoHistory) -> tuple[bool, str]:
        """Whether outcomes gets this file's exits (imported now or by an earlier run), and what to
        say; an earlier run's other history (other `--seed` or `--years`) keeps intake's records."""
        digest = hashlib.sha256(history.csv_text.encode()).hexdigest()
        progress("importing the history into intake", 0, 1)
        answer = await self.client.post(
            f"{self.url['intake']}/v1/imports/history",
            content=history.csv_text.encode(),
            headers=self.admin | {"Content-Type": "text/csv", "Idempotency-Key": f"demo-{digest}"},
            timeout=600,
        )
        progress("importing the history into intake", 1, 1)
        if answer.headers.get("Idempotent-Replayed") == "true" or answer.status_code == 409:
            return True, SKIPPED
        if answer.status_code == 201:
            body = answer.json()
            return True, (
                f"imported {body['stays']} stays of {body['people']} young people "
                f"({body['re_entries']} re-entries, {body['open_stays']} still in the programme)"
            )
        error = answer.json().get("error", {})
        if answer.status_code == 422 and {d["rule"] for d in error.get("details", [])} == {
            "not_imported_before"
        }:
            return False, OTHER_HISTORY
        raise RuntimeError(f"the import was refused ({answer.status_code}): {answer.text[:2000]}")

    async def wait_for_outcomes(self, history: DemoHistory) -> None:
        """Until outcomes has recorded every imported exit (it consumes them from Kafka)."""
        label = "outcomes recording the exits"
        deadline = asyncio.get_running_loop().time() + 600
        while True:
            exits = (await self.get("outcomes", "/v1/reports/integration"))["exits"]
            progress(label, min(exits, history.exits), history.exits)
            if exits >= history.exits:
                return
            if asyncio.get_running_loop().time() > deadline:
                print(
                    f"\noutcomes has {exits} of {history.exits} exits after 10 minutes; "
                    "the report below is what it has so far",
                    file=sys.stderr,
                )
                return
            await asyncio.sleep(1)

    async def enrol_today(self, count: int) -> int:
        """Refer → interview → consent → enrol, through intake's API; returns how many are new."""
        rng = random.Random(self.seed)  # noqa: S311 - demo data, not secrets
        new = 0
        for number in range(count):
            progress("referring and enrolling today's people", number, count)
            new += await self._welcome(rng, number)
        progress("referring and enrolling today's people", count, count)
        return new

    async def _welcome(self, rng: random.Random, number: int) -> int:
        key = f"demo-{self.today.isoformat()}-{self.seed}-{number}"
        age_days = rng.randint(17 * 365, 24 * 365)
        source = rng.choice(("jobcenter", "jobcenter", "youth_office", "school", "self"))
        referral = {
            "first_name": rng.choice(FIRST_NAMES),
            "last_name": f"{rng.choice(LAST_NAMES)}-{number + 1}",
            "birth_date": (self.today - dt.timedelta(days=age_days)).isoformat(),
            "referral_source": source,
            "preferred_work_areas": rng.sample(AREAS, rng.randint(1, 2)),
        }
        received = await self.post("intake", "/v1/referrals", referral, f"{key}-referral")
        if received is None or self.replayed:
            return 0  # known from an earlier run: nothing new
        referral_id, participant_id = received["referral_id"], received["participant_id"]
        interview = {"has_completed_vocational_training": False, "is_employed": False}
        await self.post("intake", f"/v1/referrals/{referral_id}/interview", interview)
        consent = {"purpose": "data_processing", "given_by": "participant"}
        await self.post(
            "intake", f"/v1/participants/{participant_id}/consents", consent, f"{key}-consent"
        )
        funding = FUNDING["youth_office" if source == "youth_office" else "jobcenter"]
        enrolment = {"funding": funding, "caseworker": caseworker_for(number)}
        enrolled = await self.post(
            "intake", f"/v1/referrals/{referral_id}/enrol", enrolment, f"{key}-enrol"
        )
        return 1 if enrolled is not None else 0

    async def print_report(self) -> None:
        years = range(self.today.year - self.years, self.today.year + 1)
        rows = []
        for year in years:
            period = {"exited_from": f"{year}-01-01", "exited_to": f"{year}-12-31"}
            rows.append((str(year), await self.get("outcomes", "/v1/reports/integration", period)))
        overall = await self.get("outcomes", "/v1/reports/integration")
        rows.append(("all years", overall))
        print("\nFunder report (outcomes GET /v1/reports/integration)\n")
        print(f"{'exited in':<12}{'exits':>7}{'integrated':>12}{'rate':>8}{'Jobcenter view':>16}")
        for label, report in rows:
            if report["exits"] == 0:
                continue
            print(
                f"{label:<12}{report['exits']:>7}{report['integrations']:>12}"
                f"{_percent(report['integration_rate']):>8}"
                f"{_percent(report['jobcenter_integration_rate']):>16}"
            )
        print(f"\n{'work area':<20}{'exits':>7}{'integrated':>12}{'rate':>8}")
        for area, line in overall["by_work_area"].items():
            print(
                f"{area:<20}{line['exits']:>7}{line['integrations']:>12}"
                f"{_percent(line['integration_rate']):>8}"
            )
        print(f"\n{'destination':<20}{'exits':>7}")
        for destination, exits in overall["by_destination"].items():
            print(f"{destination:<20}{exits:>7}")
        waiting = [
            (area, (await self.get("placement", f"/v1/workshops/{area}/waitlist"))["items"])
            for area in AREAS
        ]
        print("\nwaiting today: " + ", ".join(f"{area} {len(items)}" for area, items in waiting))

    async def get(
        self, service: str, path: str, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        found: dict[str, Any] = await self._get(service, path, params)
        return found

    async def get_list(self, service: str, path: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self._get(service, path, None)
        return found

    async def _get(self, service: str, path: str, params: dict[str, str] | None) -> Any:  # noqa: ANN401 - JSON
        answer = await self.client.get(
            f"{self.url[service]}{path}", params=params, headers=self.admin, timeout=60
        )
        answer.raise_for_status()
        return answer.json()

    async def put(self, service: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """The answer's body; None (after saying why on stderr) when placement refuses it."""
        answer = await self.client.put(
            f"{self.url[service]}{path}", json=body, headers=self.admin, timeout=60
        )
        if answer.status_code in (409, 422):
            print(
                f"\nPUT {path} refused ({answer.status_code}): {answer.text[:300]}", file=sys.stderr
            )
            return None
        if answer.status_code >= 400:
            raise RuntimeError(f"PUT {path} answered {answer.status_code}: {answer.text[:500]}")
        answered: dict[str, Any] = answer.json()
        return answered

    async def patch(self, service: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """The answer's body; None (after saying why on stderr) when the service refuses it."""
        answer = await self.client.patch(
            f"{self.url[service]}{path}", json=body, headers=self.admin, timeout=60
        )
        if answer.status_code in (409, 422):
            print(
                f"\nPATCH {path} refused ({answer.status_code}): {answer.text[:300]}",
                file=sys.stderr,
            )
            return None
        if answer.status_code >= 400:
            raise RuntimeError(f"PATCH {path} answered {answer.status_code}: {answer.text[:500]}")
        answered: dict[str, Any] = answer.json()
        return answered

    async def post(
        self, service: str, path: str, body: dict[str, Any], key: str | None = None
    ) -> dict[str, Any] | None:
        """The answer's body; None for a 409 (done before, e.g. by an earlier run)."""
        headers = self.admin | ({"Idempotency-Key": key} if key else {})
        answer = await self.client.post(
            f"{self.url[service]}{path}", json=body, headers=headers, timeout=60
        )
        self.replayed = answer.headers.get("Idempotent-Replayed") == "true"
        if answer.status_code == 409:
            return None
        if answer.status_code >= 400:
            raise RuntimeError(f"POST {path} answered {answer.status_code}: {answer.text[:500]}")
        answered: dict[str, Any] = answer.json()
        return answered


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.0%}"


async def run_demo(
    settings: StackSettings, *, seed: int, today_people: int, years: int = DEFAULT_YEARS
) -> int:
    async with httpx.AsyncClient() as client:
        demo = Demo(client, settings, seed, years)
        try:
            await demo.check_running()
        except StackNotRunningError as not_running:
            print(f"make demo: {not_running}", file=sys.stderr)
            return 1
        seats = await demo.seats_per_area()
        history = generate_history(seats, today=demo.today, years=years, seed=seed)
        print(
            f"generated {history.stays} stays of {history.people} young people over {years} years "
            f"for {sum(seats.values())} seats ({history.integration_rate:.0%} of exits integrated)",
            file=sys.stderr,
        )
        ours, said = await demo.import_history(history)
        print(said, file=sys.stderr)
        if ours:  # another history's exits are not this one's count
            await demo.wait_for_outcomes(history)
        workshops = await demo.get_list("placement", "/v1/workshops")
        print(await set_up_staff(demo, workshops), file=sys.stderr)
        enrolled = await demo.enrol_today(today_people)
        print(f"{enrolled} young people newly referred and enrolled today", file=sys.stderr)
        workshops_today = WorkshopsToday(demo, progress)
        workshops = await demo.get_list("placement", "/v1/workshops")
        print(await workshops_today.record_attendance(workshops), file=sys.stderr)
        for transfer in await workshops_today.transfer_a_few():
            print(transfer, file=sys.stderr)
        await demo.print_report()
        print(f"\n{await workshops_today.absence_totals()}")
    return 0


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m werkstattnetz_devstack.demo", description=__doc__
    )
    parser.add_argument("--seed", type=int, default=2002, help="the same seed, the same history")
    parser.add_argument("--today-people", type=int, default=36, help="referred and enrolled today")
    parser.add_argument(
        "--years", type=int, default=DEFAULT_YEARS, help="how many years of history to generate"
    )
    options = parser.parse_args(arguments)
    if not 1 <= options.years <= 30:  # intake takes no history before 1990
        parser.error("--years must be between 1 and 30")
    settings = StackSettings.from_environment()
    return asyncio.run(
        run_demo(
            settings, seed=options.seed, today_people=options.today_people, years=options.years
        )
    )


if __name__ == "__main__":
    sys.exit(main())
