"""`HistoricalStayImported` over the real broker and database: outcomes records each imported stay
and its exit with the historical date, publishes the exit like a live one, schedules a follow-up
only for an exit of the last six months, and counts the history in the funder report."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.integration.outcomes.conftest import OutcomesUnderTest, placed
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
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

TODAY = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()


def imported(
    participant_id: uuid.UUID,
    enrolled_on: dt.date,
    *,
    placed_on: dt.date | None = None,
    exit_date: dt.date | None = None,
    destination: Destination | None = None,
    exit_reason: ExitReason | None = None,
    re_entry: bool = False,
) -> EventEnvelope:
    data = HistoricalStayImported(
        enrolment_id=uuid.uuid4(),
        re_entry=re_entry,
        referred_on=enrolled_on - dt.timedelta(days=10),
        referral_source=ReferralSource.YOUTH_OFFICE,
        funder=Funder.YOUTH_OFFICE,
        age_band=AgeBand.AGE_15_17,
        enrolled_on=enrolled_on,
        work_area=WorkArea.CARE,
        placed_on=placed_on,
        exit_date=exit_date,
        destination=destination,
        exit_reason=exit_reason,
    )
    return EventEnvelope.wrap(data, producer="intake", participant_id=participant_id)


async def handled(outcomes: OutcomesUnderTest, *events: EventEnvelope) -> None:
    wanted = {event.event_id for event in events}

    async def all_handled() -> bool:
        rows = await outcomes.fetch("SELECT event_id FROM inbox WHERE event_id = ANY($1::uuid[])", wanted)
        return {row["event_id"] for row in rows} == wanted

    await eventually(all_handled, what=f"outcomes handling {len(wanted)} events")


async def report(outcomes: OutcomesUnderTest, **params: str) -> dict[str, Any]:
    response = await outcomes.client.get(
        "/v1/reports/integration", params=params, headers=auth_header("reporting")
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_imported_stays_become_stays_with_exits_published_with_their_own_dates(
    outcomes: OutcomesUnderTest,
) -> None:
    person = uuid.uuid4()
    stays = [
        imported(
            person,
            dt.date(2019, 2, 18),
            placed_on=dt.date(2019, 3, 1),
            exit_date=dt.date(2019, 12, 20),
            destination=Destination.APPRENTICESHIP,
            exit_reason=ExitReason.FOUND_PLACEMENT,
        ),
        imported(
            person,
            dt.date(2020, 5, 25),
            exit_date=dt.date(2020, 11, 30),
            destination=Destination.DROPOUT,
            exit_reason=ExitReason.DROPOUT,
            re_entry=True,
        ),
        imported(person, dt.date(2024, 9, 16), re_entry=True),
    ]
    for stay in stays:
        await outcomes.publish_intake(stay)
    await handled(outcomes, *stays)
    await outcomes.publish_intake(stays[0])  # a redelivery: no second exit

    outcome = await outcomes.wait_for_status(person, "enrolled")
    assert (outcome["stay"], outcome["re_entry"], outcome["exit"]) == (3, True, None)
    assert len(outcome["earlier_stays"]) == 2
    exits = await outcomes.fetch(
        "SELECT stay, exit_date, destination, work_area, recorded_by FROM exits WHERE participant_id = $1 "
        "ORDER BY stay",
        person,
    )
    assert [tuple(row) for row in exits] == [
        (1, dt.date(2019, 12, 20), "apprenticeship", "care", "history-import"),
        (2, dt.date(2020, 11, 30), "dropout", None, "history-import"),
    ]
    # Exits years ago get no follow-up: nobody can ask about them now.
    assert await outcomes.fetch("SELECT * FROM follow_ups WHERE participant_id = $1", person) == []

    published = await collect_events(
        outcomes.bootstrap_servers, outcomes.outcomes_topic, until=lambda found: len(found) >= 3
    )
    mine = [(e.event_type, e.data["exit_date"]) for e in published if e.participant_id == person]
    assert mine == [
        ("ParticipantExited", "2019-12-20"),
        ("IntegrationAchieved", "2019-12-20"),
        ("ParticipantExited", "2020-11-30"),
    ]
    assert all(e.data["imported"] is True for e in published if e.participant_id == person)
    in_2019 = await report(outcomes, exited_from="2019-01-01", exited_to="2019-12-31")
    assert (in_2019["exits"], in_2019["integrations"]) == (1, 1)
    assert in_2019["by_work_area"]["care"]["exits"] == 1

    # Placement's decision on the running stay names the import's event: it lands on stay 3.
    await outcomes.publish_placement(placed(person, WorkArea.CARE, TODAY, on_enrolment=stays[2]))
    now = await outcomes.wait_for_status(person, "placed")
    assert (now["stay"], now["work_area"]) == (3, "care")
    assert len(await outcomes.fetch("SELECT 1 FROM exits WHERE participant_id = $1", person)) == 2


async def test_an_exit_of_the_last_six_months_gets_its_follow_up(outcomes: OutcomesUnderTest) -> None:
    recent, old = uuid.uuid4(), uuid.uuid4()
    recent_exit = TODAY - dt.timedelta(days=30)
    stays = [
        imported(
            recent,
            TODAY - dt.timedelta(days=200),
            placed_on=TODAY - dt.timedelta(days=190),
            exit_date=recent_exit,
            destination=Destination.EMPLOYMENT,
            exit_reason=ExitReason.REGULAR_END,
        ),
        imported(
            old,
            TODAY - dt.timedelta(days=600),
            exit_date=TODAY - dt.timedelta(days=200),
            destination=Destination.SCHOOL,
        ),
    ]
    for stay in stays:
        await outcomes.publish_intake(stay)
    await handled(outcomes, *stays)
    follow_ups = await outcomes.fetch("SELECT participant_id, due_on FROM follow_ups")
    assert [(row["participant_id"], row["due_on"]) for row in follow_ups] == [
        (recent, recent_exit + dt.timedelta(days=182))
    ]
