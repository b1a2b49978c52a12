"""Re-entry and co-funding over the real broker and database: a participant who came back gets a
second stay with its own exit, news out of order lands on the right stay, and reports count each
stay's exit in its own period, co-funded exits for each funder."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from tests.integration.outcomes.conftest import OutcomesUnderTest, enrolled, placed, placement_event
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
from werkstattnetz_shared.events import EventEnvelope, FundingShare, ParticipantWaitlisted, PlacementEnded
from werkstattnetz_shared.events.vocabulary import Funder, LegalBasis, PlacementEndReason, WorkArea

pytestmark = pytest.mark.integration

FIRST_ENROLLED = dt.date(2025, 1, 6)
FIRST_EXIT = dt.date(2025, 3, 10)
SECOND_ENROLLED = dt.date(2025, 5, 5)
SECOND_EXIT = dt.date(2025, 7, 1)
FIRST_QUARTER = {"exited_from": "2025-01-01", "exited_to": "2025-03-31"}
THIRD_QUARTER = {"exited_from": "2025-07-01", "exited_to": "2025-09-30"}


async def report(outcomes: OutcomesUnderTest, **params: str) -> dict[str, Any]:
    response = await outcomes.client.get(
        "/v1/reports/integration", params=params, headers=auth_header("reporting")
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def wait_handled(outcomes: OutcomesUnderTest, *events: EventEnvelope) -> None:
    """Until outcomes' consumer has handled each of these events (its inbox holds them)."""
    wanted = {event.event_id for event in events}

    async def all_handled() -> bool:
        rows = await outcomes.fetch("SELECT event_id FROM inbox WHERE event_id = ANY($1::uuid[])", wanted)
        return {row["event_id"] for row in rows} == wanted

    await eventually(all_handled, what=f"outcomes handling {len(wanted)} events")


async def first_stay_exited(outcomes: OutcomesUnderTest, participant_id: uuid.UUID) -> None:
    await outcomes.enrol_and_place(participant_id, enrolled_on=FIRST_ENROLLED, work_area=WorkArea.CARE)
    response = await outcomes.exit(participant_id, "dropout", FIRST_EXIT)
    assert response.status_code == 201, response.text


async def test_a_re_entry_gets_its_own_stay_and_exit_and_reports_count_both_exits(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await first_stay_exited(outcomes, participant_id)
    first_quarter_before = await report(outcomes, **FIRST_QUARTER)

    again = await outcomes.enrol_and_place(
        participant_id, enrolled_on=SECOND_ENROLLED, work_area=WorkArea.BIKE_METAL, re_entry=True
    )
    second = await outcomes.wait_for_status(participant_id, "placed")
    assert (second["stay"], second["enrolment_id"], second["re_entry"]) == (
        2,
        again.data["enrolment_id"],
        True,
    )
    assert (second["enrolled_on"], second["work_area"], second["exit"]) == (
        SECOND_ENROLLED.isoformat(),
        "bike_metal",
        None,
    )
    [earlier] = second["earlier_stays"]
    assert (earlier["stay"], earlier["exit"]["destination"], earlier["exit"]["work_area"]) == (
        1,
        "dropout",
        "care",
    )

    response = await outcomes.exit(participant_id, "apprenticeship", SECOND_EXIT)
    assert response.status_code == 201, response.text
    again_response = await outcomes.exit(participant_id, "employment", SECOND_EXIT)
    assert again_response.status_code == 409
    assert again_response.json()["error"]["code"] == "exit_only_once"

    # The first stay's exit still counts in its period, unchanged; the second in its own.
    assert await report(outcomes, **FIRST_QUARTER) == first_quarter_before
    assert (first_quarter_before["exits"], first_quarter_before["integrations"]) == (1, 0)
    third_quarter = await report(outcomes, **THIRD_QUARTER)
    assert (third_quarter["exits"], third_quarter["integrations"]) == (1, 1)
    assert third_quarter["by_work_area"]["bike_metal"]["exits"] == 1
    everything = await report(outcomes)
    assert (everything["exits"], everything["integrations"], everything["integration_rate"]) == (2, 1, 0.5)
    rows = await outcomes.fetch(
        "SELECT stay, destination, work_area FROM exits WHERE participant_id = $1 ORDER BY stay",
        participant_id,
    )
    assert [tuple(row) for row in rows] == [(1, "dropout", "care"), (2, "apprenticeship", "bike_metal")]
    published = await outcomes.fetch("SELECT event_type FROM outbox ORDER BY id")
    assert [row["event_type"] for row in published] == [
        "ParticipantExited",
        "ParticipantExited",
        "IntegrationAchieved",
    ]


async def test_placement_news_of_the_new_stay_before_its_enrolment_waits_for_it(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await first_stay_exited(outcomes, participant_id)
    again = enrolled(participant_id, Funder.CITY, SECOND_ENROLLED, re_entry=True)

    # Placement heard the re-entry first: waitlisted for it, then placed from the waitlist.
    waitlisted = ParticipantWaitlisted(work_area=WorkArea.GARDEN_LANDSCAPE, position=1)
    news = [
        placement_event(participant_id, waitlisted, on_enrolment=again),
        placed(participant_id, WorkArea.GARDEN_LANDSCAPE, SECOND_ENROLLED, from_waitlist=True),
    ]
    for envelope in news:
        await outcomes.publish_placement(envelope)
    await wait_handled(outcomes, *news)
    still_first = await outcomes.wait_for_status(participant_id, "exited")
    assert (still_first["stay"], still_first["work_area"], still_first["exit"]["work_area"]) == (
        1,
        "care",
        "care",
    )

    await outcomes.publish_intake(again)
    second = await outcomes.wait_for_status(participant_id, "placed")
    assert (second["stay"], second["work_area"], second["funder"]) == (2, "garden_landscape", "city")
    response = await outcomes.exit(participant_id, "employment", SECOND_EXIT)
    assert response.status_code == 201, response.text
    rows = await outcomes.fetch(
        "SELECT stay, work_area, funder FROM exits WHERE participant_id = $1 ORDER BY stay", participant_id
    )
    assert [tuple(row) for row in rows] == [(1, "care", "jobcenter"), (2, "garden_landscape", "city")]


async def test_stale_placement_news_of_the_old_stay_after_the_new_enrolment_changes_neither(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    first = await outcomes.enrol_and_place(participant_id, enrolled_on=FIRST_ENROLLED, work_area=None)
    response = await outcomes.exit(participant_id, "dropout", FIRST_EXIT)  # before placement's news
    assert response.status_code == 201, response.text
    again = await outcomes.enrol_and_place(
        participant_id, enrolled_on=SECOND_ENROLLED, work_area=None, re_entry=True
    )

    # The first stay's placement news, published by placement before the exit reached it.
    waitlisted = ParticipantWaitlisted(work_area=WorkArea.CARE, position=1)
    ended = PlacementEnded(work_area=WorkArea.CARE, ended_on=FIRST_EXIT, reason=PlacementEndReason.EXITED)
    stale = [
        placement_event(participant_id, waitlisted, on_enrolment=first),
        placed(participant_id, WorkArea.CARE, FIRST_ENROLLED, from_waitlist=True),
        placement_event(participant_id, ended),
    ]
    for envelope in stale:
        await outcomes.publish_placement(envelope)
    await wait_handled(outcomes, *stale)

    outcome = (await outcomes.outcome(participant_id)).json()
    assert (outcome["stay"], outcome["status"], outcome["work_area"], outcome["waitlisted_for"]) == (
        2,
        "enrolled",
        None,
        None,
    )
    assert outcome["earlier_stays"][0]["exit"]["work_area"] is None  # as it was at the exit

    # The second stay's own news applies.
    await outcomes.publish_placement(
        placed(participant_id, WorkArea.BIKE_METAL, SECOND_ENROLLED, on_enrolment=again)
    )
    second = await outcomes.wait_for_status(participant_id, "placed")
    assert (second["stay"], second["work_area"]) == (2, "bike_metal")


async def test_a_redelivered_re_entry_opens_one_stay(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    await first_stay_exited(outcomes, participant_id)
    again = enrolled(participant_id, Funder.JOBCENTER, SECOND_ENROLLED, re_entry=True)
    same_enrolment = again.model_copy(update={"event_id": uuid.uuid4()})  # as a republish would be
    without_id = enrolled(participant_id, Funder.CITY, SECOND_ENROLLED)
    without_id = without_id.model_copy(update={"data": {**without_id.data, "enrolment_id": None}})
    for envelope in (again, again, same_enrolment, without_id):  # the second: a redelivery
        await outcomes.publish_intake(envelope)
    await outcomes.publish_placement(
        placed(participant_id, WorkArea.CARE, SECOND_ENROLLED, on_enrolment=again)
    )
    await wait_handled(outcomes, again, same_enrolment, without_id)
    second = await outcomes.wait_for_status(participant_id, "placed")

    assert (second["stay"], second["funder"], len(second["earlier_stays"])) == (2, "jobcenter", 1)
    rows = await outcomes.fetch("SELECT stay FROM stays WHERE participant_id = $1", participant_id)
    assert sorted(row["stay"] for row in rows) == [1, 2]


async def test_co_funded_exits_count_for_each_funder(outcomes: OutcomesUnderTest) -> None:
    co_funded, jobcenter_only = uuid.uuid4(), uuid.uuid4()
    shares = [
        FundingShare(funder=Funder.JOBCENTER, legal_basis=LegalBasis.SGB2_16_ACTIVATION, share_percent=60),
        FundingShare(funder=Funder.CITY, legal_basis=LegalBasis.CITY, share_percent=40),
    ]
    await outcomes.enrol_and_place(co_funded, enrolled_on=FIRST_ENROLLED, funding=shares)
    await outcomes.enrol_and_place(jobcenter_only, enrolled_on=FIRST_ENROLLED)
    outcome = await outcomes.wait_for_status(co_funded, "placed")
    assert outcome["funding"] == [
        {"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 60},
        {"funder": "city", "legal_basis": "city", "share_percent": 40},
    ]
    for participant_id, destination in ((co_funded, "employment"), (jobcenter_only, "dropout")):
        response = await outcomes.exit(participant_id, destination, FIRST_EXIT)
        assert response.status_code == 201, response.text

    everyone = await report(outcomes, **FIRST_QUARTER)
    jobcenter = await report(outcomes, **FIRST_QUARTER, funder="jobcenter")
    city = await report(outcomes, **FIRST_QUARTER, funder="city")
    youth_office = await report(outcomes, **FIRST_QUARTER, funder="youth_office")
    assert (everyone["exits"], everyone["integrations"], everyone["co_funded_exits"]) == (2, 1, 1)
    assert (jobcenter["exits"], jobcenter["integrations"], jobcenter["co_funded_exits"]) == (2, 1, 1)
    assert (city["exits"], city["integrations"], city["integration_rate"], city["co_funded_exits"]) == (
        1,
        1,
        1.0,
        1,
    )
    assert youth_office["exits"] == 0
    rows = await outcomes.fetch("SELECT funder, funders FROM exits WHERE participant_id = $1", co_funded)
    assert [(row["funder"], row["funders"]) for row in rows] == [("jobcenter", ["jobcenter", "city"])]
