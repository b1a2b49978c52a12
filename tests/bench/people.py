"""People referred, interviewed and consented through intake's API, ready to enrol (P1, P5)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

import httpx

from tests.support.intake_flows import consent, interview, refer

PREPARE_CONCURRENCY = 16

_people_numbered = itertools.count()
# Young people spread evenly over the four work areas, as a programme's intake does. (All wanting
# the same area is the worst case: every decision waits for that area's lock and reads its whole,
# growing waitlist — measured in this session at p99 760 ms at 50/s against 132 ms spread.)
AREAS = ("care", "garden_landscape", "bike_metal", "building_services")


def letters(number: int) -> str:
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[digit]
        if number == 0:
            return word


async def prepare(client: httpx.AsyncClient, count: int) -> list[tuple[str, str]]:
    """Refer, interview and consent `count` people: (participant_id, referral_id), ready to enrol.
    Numbered on from the people of earlier calls (the ramp prepares more): nobody is referred twice."""
    gate = asyncio.Semaphore(PREPARE_CONCURRENCY)
    first = next(_people_numbered)
    for _ in range(count - 1):
        next(_people_numbered)

    async def one(number: int) -> tuple[str, str]:
        async with gate:
            # Intake finds the same person by similar name and birth date: give each their own day
            # of birth (2,500 days ~ 7 years, all of age for the programme) and a distinct name.
            name = f"Bench{letters(number)}"
            birth_date = dt.date(2002, 1, 1) + dt.timedelta(days=number % 2500)
            referred = await refer(
                client,
                first_name=name,
                last_name=f"Lauf{letters(number * 7919 + 13)}",
                birth_date=birth_date.isoformat(),
                email=f"{name.lower()}@example.org",
                preferred_work_areas=[AREAS[number % len(AREAS)]],
            )
            await interview(client, referred["referral_id"])
            await consent(client, referred["participant_id"])
            return str(referred["participant_id"]), str(referred["referral_id"])

    return list(await asyncio.gather(*(one(number) for number in range(first, first + count))))
