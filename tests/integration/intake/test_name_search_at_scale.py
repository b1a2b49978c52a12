"""The name search at 100,000 people: the query intake sends is answered from the trigram index
(the plan shows `people_name_trgm_idx`), and the measured time of a list request is printed (run
with `-s`). Speed is shown by measurement, not asserted: a timed assertion only measures the
machine the test runs on."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import uuid
from typing import Any, cast

import asyncpg
import pytest

from intake.adapters.staff_lists import Page, ParticipantFilter, ReferralFilter, StaffLists
from intake.domain.access import Viewer, Visibility
from intake.domain.names import identity_key
from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import CASEWORKER, INTAKE_STAFF, MANAGER

pytestmark = pytest.mark.integration

PEOPLE = 100_000
WANTED = "Quastenberg"  # five people carry this name; nobody else comes close
SYLLABLES = [
    "ber",
    "hol",
    "man",
    "ste",
    "wal",
    "kin",
    "dor",
    "fel",
    "gra",
    "lin",
    "mue",
    "ross",
    "sch",
    "tau",
]
FIRST_NAMES = ["Mia", "Lena", "Jonas", "Paul", "Lea", "Tim", "Anna", "Emil", "Noah", "Ida", "Ben", "Mila"]


class ExplainingConnection:
    """Stands in for the connection: the query the adapter builds is explained, not run. With
    `generic`, as the generic plan a prepared statement may switch to after a few runs."""

    def __init__(self, connection: asyncpg.Connection, *, generic: bool) -> None:
        self._connection = connection
        self._generic = generic
        self.plans: list[str] = []

    async def fetch(self, sql: str, *arguments: Any) -> list[Any]:
        if self._generic:
            await self._connection.execute("SET plan_cache_mode = force_generic_plan")
            await self._connection.execute(f"PREPARE search AS {sql}")
            values = ", ".join(_literal(argument) for argument in arguments)
            rows = await self._connection.fetch(f"EXPLAIN (ANALYZE, COSTS OFF) EXECUTE search({values})")
            await self._connection.execute("DEALLOCATE search")
        else:
            rows = await self._connection.fetch(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", *arguments)
        self.plans.append("\n".join(row[0] for row in rows))
        return []


def _literal(argument: Any) -> str:
    if isinstance(argument, int):
        return str(argument)
    assert isinstance(argument, str), argument
    return "'" + argument.replace("'", "''") + "'"


def generated_people(seed: int = 6) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    taken: set[tuple[str, dt.date]] = set()
    chance = random.Random(seed)
    while len(rows) < PEOPLE:
        wanted = len(rows) < 5
        first = chance.choice(FIRST_NAMES)
        last = WANTED if wanted else "".join(chance.choices(SYLLABLES, k=3)).capitalize()
        born = dt.date(1996, 1, 1) + dt.timedelta(days=chance.randrange(16 * 365))
        key = identity_key(first, last)
        if (key, born) in taken:
            continue
        taken.add((key, born))
        caseworker = chance.choice(["cara.caseworker", "otto.caseworker", None])
        rows.append((uuid.uuid4(), first, last, born, key, caseworker))
    return rows


def generated_referrals(people: list[tuple[Any, ...]], today: dt.date) -> list[tuple[Any, ...]]:
    chance = random.Random(7)
    statuses = ["enrolled", "enrolled", "rejected", "withdrawn", "received", "interviewed"]
    rows = []
    for participant_id, *_ in people:
        received_on = today - dt.timedelta(days=chance.randrange(730))
        status = chance.choice(statuses)
        enrolled = status == "enrolled"
        rows.append(
            (
                uuid.uuid4(),
                participant_id,
                chance.choice(["jobcenter", "youth_office", "school", "self"]),
                received_on,
                dt.datetime.combine(received_on, dt.time(9), dt.UTC),
                ["care"],
                False,
                status,
                uuid.uuid4() if enrolled else None,
                received_on if enrolled else None,
                "jobcenter" if enrolled else None,
            )
        )
    return rows


async def load(intake: IntakeUnderTest) -> None:
    people = generated_people()
    connection = await asyncpg.connect(intake.settings.database_url)
    try:
        await connection.copy_records_to_table(
            "people",
            records=people,
            columns=["participant_id", "first_name", "last_name", "birth_date", "identity_key", "caseworker"],
        )
        await connection.copy_records_to_table(
            "referrals",
            records=generated_referrals(people, intake.today),
            columns=[
                "referral_id",
                "participant_id",
                "referral_source",
                "received_on",
                "received_at",
                "preferred_work_areas",
                "re_entry",
                "status",
                "enrolment_id",
                "enrolled_on",
                "main_funder",
            ],
        )
        await connection.execute("ANALYZE people; ANALYZE referrals")
    finally:
        await connection.close()


async def plans_of_the_search(intake: IntakeUnderTest, viewer: Viewer, *, generic: bool) -> list[str]:
    """The plans of both lists' name search for `viewer`, as intake sends them."""
    connection = await asyncpg.connect(intake.settings.database_url)
    try:
        explaining = ExplainingConnection(connection, generic=generic)
        lists = StaffLists(cast(asyncpg.Connection, explaining))
        visibility = Visibility.of(viewer)
        await lists.referrals(ReferralFilter(name=WANTED.lower()), visibility, Page())
        await lists.participants(ParticipantFilter(name=WANTED.lower()), visibility, Page())
        return explaining.plans
    finally:
        await connection.close()


async def test_the_name_search_at_100k_people_uses_the_trigram_index(intake: IntakeUnderTest) -> None:
    started = time.perf_counter()
    await load(intake)
    loaded_s = time.perf_counter() - started
    assert await intake.value("SELECT count(*) FROM people") == PEOPLE

    for roles, subject in ((["manager"], "mara"), (["intake"], "ines"), (["caseworker"], "cara.caseworker")):
        viewer = Viewer(subject, frozenset(roles))
        for generic in (False, True):
            for plan in await plans_of_the_search(intake, viewer, generic=generic):
                assert "people_name_trgm_idx" in plan, f"{roles} generic={generic}:\n{plan}"

    timings_ms: dict[str, list[float]] = {}
    for who, headers in (("manager", MANAGER), ("intake", INTAKE_STAFF), ("caseworker", CASEWORKER)):
        for search in ("Quastenberg", "quastenbreg"):  # the second with a typo: found by similarity
            for _ in range(7):  # beyond the fifth run a prepared statement may switch to its generic plan
                began = time.perf_counter()
                response = await intake.client.get("/v1/referrals", params={"name": search}, headers=headers)
                timings_ms.setdefault(f"{who}, {search}", []).append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, response.text
            found = {item["person"]["last_name"] for item in response.json()["items"]}
            assert found <= {WANTED}, found
            if who == "manager":
                assert len(response.json()["items"]) == 5

    print(f"\n[name search] {PEOPLE} people and referrals loaded in {loaded_s:.1f} s")
    for what, runs in timings_ms.items():
        print(
            f"[name search] GET /v1/referrals?name=… ({what}): first {runs[0]:.1f} ms, "
            f"median {statistics.median(runs):.1f} ms, slowest {max(runs):.1f} ms over {len(runs)} runs"
        )
