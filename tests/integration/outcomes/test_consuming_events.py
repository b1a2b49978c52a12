"""How outcomes learns of participants: in any order across topics, once per event, past poison."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.outcomes.conftest import OutcomesUnderTest, enrolled, placed, placement_event
from tests.support.clock import service_today
from tests.support.kafka_tools import collect_records, publish_raw
from tests.support.service_app import eventually
from werkstattnetz_shared.events import ParticipantWaitlisted, PlacementEnded
from werkstattnetz_shared.events.vocabulary import Funder, PlacementEndReason, WorkArea

pytestmark = pytest.mark.integration

ENROLLED_ON = dt.date(2025, 9, 1)


async def test_enrolment_teaches_outcomes_the_coarse_facts_of_a_participant(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    enrolment = enrolled(participant_id, Funder.CITY, ENROLLED_ON)
    await outcomes.publish_intake(enrolment)

    outcome = await outcomes.wait_for_status(participant_id, "enrolled")

    assert outcome == {
        "participant_id": str(participant_id),
        "status": "enrolled",
        "work_area": None,
        "waitlisted_for": None,
        "enrolled_on": ENROLLED_ON.isoformat(),
        "funder": "city",
        "age_band": "18-20",
        "referral_source": "jobcenter",
        "exit": None,
        "stay": 1,
        "enrolment_id": enrolment.data["enrolment_id"],
        "re_entry": False,
        "funding": [],
        "earlier_stays": [],
    }


async def test_placement_news_heard_before_the_enrolment_is_kept(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    enrolment = enrolled(participant_id, Funder.JOBCENTER, ENROLLED_ON)
    await outcomes.publish_placement(
        placed(participant_id, WorkArea.BIKE_METAL, ENROLLED_ON, on_enrolment=enrolment)
    )

    async def placement_recorded() -> bool:
        rows = await outcomes.fetch(
            "SELECT early_status FROM participants WHERE participant_id = $1", participant_id
        )
        return [row["early_status"] for row in rows] == ["placed"]

    await eventually(placement_recorded, what="the early placement to be recorded")
    # Recorded, but without an enrolment outcomes does not know the participant yet.
    assert (await outcomes.outcome(participant_id)).status_code == 404
    assert (await outcomes.exit(participant_id, "employment", ENROLLED_ON)).status_code == 404

    await outcomes.publish_intake(enrolment)
    outcome = await outcomes.wait_for_status(participant_id, "placed")

    assert (outcome["work_area"], outcome["funder"]) == ("bike_metal", "jobcenter")


async def test_waitlisting_and_ended_placements_update_the_state_and_the_last_area(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    await outcomes.enrol_and_place(participant_id, work_area=WorkArea.GARDEN_LANDSCAPE)

    ended = PlacementEnded(
        work_area=WorkArea.GARDEN_LANDSCAPE, ended_on=ENROLLED_ON, reason=PlacementEndReason.EXITED
    )
    await outcomes.publish_placement(placement_event(participant_id, ended))
    await outcomes.wait_for_status(participant_id, "placement_ended")
    waitlisted = ParticipantWaitlisted(work_area=WorkArea.CARE, position=2)
    await outcomes.publish_placement(placement_event(participant_id, waitlisted))
    outcome = await outcomes.wait_for_status(participant_id, "waitlisted")

    assert (outcome["work_area"], outcome["waitlisted_for"]) == ("garden_landscape", "care")
    response = await outcomes.exit(participant_id, "other_measure", service_today())
    assert response.status_code == 201, response.text
    rows = await outcomes.fetch(
        "SELECT work_area, integrated FROM exits WHERE participant_id = $1", participant_id
    )
    assert [(row["work_area"], row["integrated"]) for row in rows] == [("garden_landscape", False)]


async def test_a_redelivered_event_has_one_effect(outcomes: OutcomesUnderTest) -> None:
    participant_id = uuid.uuid4()
    enrolment = enrolled(participant_id, Funder.JOBCENTER, ENROLLED_ON)
    into_care = placed(participant_id, WorkArea.CARE, ENROLLED_ON)
    into_bike_metal = placed(participant_id, WorkArea.BIKE_METAL, ENROLLED_ON)
    waitlisted = placement_event(participant_id, ParticipantWaitlisted(work_area=WorkArea.CARE, position=1))
    await outcomes.publish_intake(enrolment)

    await outcomes.publish_placement(into_care)
    await outcomes.publish_placement(into_bike_metal)
    await outcomes.publish_placement(into_care)  # the same event_id again: a redelivery
    # One participant's events share a partition, so once the waitlisting shows, the
    # redelivery before it has been handled too.
    await outcomes.publish_placement(waitlisted)
    outcome = await outcomes.wait_for_status(participant_id, "waitlisted")

    assert outcome["work_area"] == "bike_metal", "the redelivered placement into care was applied again"
    inbox = await outcomes.fetch("SELECT event_id FROM inbox WHERE consumer = 'outcomes'")
    assert sorted(row["event_id"] for row in inbox) == sorted(
        event.event_id for event in (enrolment, into_care, into_bike_metal, waitlisted)
    )


async def test_a_poison_message_is_parked_in_the_dead_letter_topic_and_the_next_one_handled(
    outcomes: OutcomesUnderTest,
) -> None:
    participant_id = uuid.uuid4()
    poison = b"this is not JSON {"
    good = enrolled(participant_id, Funder.YOUTH_OFFICE, ENROLLED_ON)
    # Same key: the poison message and the good one share a partition, poison first.
    await publish_raw(outcomes.bootstrap_servers, outcomes.intake_topic, good.kafka_key, poison)
    await outcomes.publish_intake(good)

    outcome = await outcomes.wait_for_status(participant_id, "enrolled")
    assert outcome["funder"] == "youth_office"

    source = await collect_records(
        outcomes.bootstrap_servers, outcomes.intake_topic, until=lambda records: len(records) >= 2
    )
    poison_record = next(record for record in source if record.value == poison)
    dead_letters = await collect_records(
        outcomes.bootstrap_servers, f"{outcomes.intake_topic}.dlq", until=lambda records: len(records) >= 1
    )
    assert len(dead_letters) == 1
    parked = dead_letters[0]
    assert (parked.key, parked.value) == (good.kafka_key, poison)
    headers = {name: value.decode() for name, value in parked.headers}
    assert headers["dlq_error_type"] == "ValidationError"
    assert "json" in headers["dlq_error_message"].lower()
    assert headers["dlq_source_topic"] == outcomes.intake_topic
    assert headers["dlq_source_partition"] == str(poison_record.partition)
    assert headers["dlq_source_offset"] == str(poison_record.offset)
    assert headers["dlq_consumer_group"] == outcomes.settings.topic("outcomes")
