"""`HistoricalStayImported` over the real broker and database: an ended imported stay is history and
takes no seat; a running one is placed or waitlisted like a live enrolment (by its enrolment day);
outcomes' exit of an imported stay frees nothing, even when it overtakes the stay itself."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import pytest

from tests.integration.placement.conftest import CASEWORKER, PlacementUnderTest, enrolled, exited
from werkstattnetz_shared.events import EventEnvelope, HistoricalStayImported
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    ExitReason,
    Funder,
    ReferralSource,
    WorkArea,
)

pytestmark = pytest.mark.integration

CARE, BIKE = WorkArea.CARE, WorkArea.BIKE_METAL  # the test workshops: one care seat, no bike seat
HISTORICAL_EXIT = dt.date(2019, 12, 20)


def imported(
    participant_id: uuid.UUID,
    area: WorkArea,
    enrolled_on: dt.date,
    *,
    placed_on: dt.date | None = None,
    exit_date: dt.date | None = None,
    re_entry: bool = False,
) -> EventEnvelope:
    data = HistoricalStayImported(
        enrolment_id=uuid.uuid4(),
        re_entry=re_entry,
        referred_on=enrolled_on - dt.timedelta(days=14),
        referral_source=ReferralSource.JOBCENTER,
        funder=Funder.JOBCENTER,
        age_band=AgeBand.AGE_18_20,
        enrolled_on=enrolled_on,
        work_area=area,
        placed_on=placed_on,
        exit_date=exit_date,
        destination=Destination.APPRENTICESHIP if exit_date else None,
        exit_reason=ExitReason.FOUND_PLACEMENT if exit_date else None,
    )
    return EventEnvelope.wrap(data, producer="intake", participant_id=participant_id)


async def historical_rows(placement: PlacementUnderTest, participant_id: uuid.UUID) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(placement.settings.database_url)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(
            "SELECT work_area, placed_on, exit_date FROM historical_stays WHERE participant_id = $1",
            participant_id,
        )
    finally:
        await connection.close()
    return rows


async def test_an_ended_stay_is_history_and_a_running_one_takes_the_seat_the_old_exit_does_not_free(
    placement: PlacementUnderTest,
) -> None:
    person = uuid.uuid4()
    first = imported(
        person, CARE, dt.date(2019, 2, 18), placed_on=dt.date(2019, 3, 1), exit_date=HISTORICAL_EXIT
    )
    await placement.enrol(first)
    await placement.wait_until_consumed()
    assert await placement.placement_of(person) is None  # no current stay: nothing to show
    assert [tuple(row) for row in await historical_rows(placement, person)] == [
        ("care", dt.date(2019, 3, 1), HISTORICAL_EXIT)
    ]
    assert (await placement.workshop(CARE))["free_seats"] == 1

    running = imported(person, CARE, dt.date(2024, 9, 16), placed_on=dt.date(2024, 10, 1), re_entry=True)
    await placement.enrol(running)
    seated = await placement.wait_for_status(person, "placed")
    assert seated["work_area"] == "care"

    # outcomes publishes the imported exit (it records it): placement must not end today's seat.
    await placement.exit(exited(person, HISTORICAL_EXIT))
    await placement.enrol(first)  # and a redelivery of the ended stay changes nothing either
    live = enrolled(CARE)
    await placement.enrol(live)
    await placement.wait_for_status(live.participant_id, "waitlisted")
    await placement.wait_until_consumed()
    still = await placement.placement_of(person)
    assert still is not None
    assert (still["status"], still["work_area"]) == ("placed", "care")
    assert len(await historical_rows(placement, person)) == 1


async def test_an_imported_exit_that_overtakes_its_stay_does_not_end_the_next_stay(
    placement: PlacementUnderTest,
) -> None:
    person = uuid.uuid4()
    await placement.exit(exited(person, HISTORICAL_EXIT))
    await placement.wait_until_consumed()
    await placement.enrol(imported(person, CARE, dt.date(2019, 2, 18), exit_date=HISTORICAL_EXIT))
    await placement.enrol(imported(person, CARE, dt.date(2025, 1, 6), re_entry=True))
    seated = await placement.wait_for_status(person, "placed")
    assert seated["work_area"] == "care"


async def test_a_running_stay_without_a_free_seat_waits_by_its_enrolment_day(
    placement: PlacementUnderTest,
) -> None:
    live = enrolled(BIKE)  # enrolled now
    await placement.enrol(live)
    await placement.wait_for_status(live.participant_id, "waitlisted")
    person = uuid.uuid4()
    await placement.enrol(imported(person, BIKE, dt.date(2026, 6, 1), placed_on=dt.date(2026, 6, 2)))
    await placement.wait_for_status(person, "waitlisted")
    page = (await placement.client.get("/v1/workshops/bike_metal/waitlist", headers=CASEWORKER)).json()
    assert [item["participant_id"] for item in page["items"]] == [str(person), str(live.participant_id)]
    assert page["items"][0]["waiting_since"] == "2026-06-01T12:00:00Z"
