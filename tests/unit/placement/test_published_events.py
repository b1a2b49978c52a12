"""Placement's decisions map onto the published contracts, with the flow's correlation kept."""

import uuid

from placement.adapters.published_events import published_event
from placement.domain.enrolment import Cause
from placement.domain.events import Placed, PlacementEndedOnExit, Waitlisted
from tests.unit.placement.builders import CARE, TODAY
from werkstattnetz_shared.events import parse_event_data


def test_a_placement_from_the_waitlist_carries_the_exit_as_its_cause() -> None:
    participant_id, correlation_id, exit_event_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    envelope = published_event(
        Placed(participant_id, CARE, TODAY, from_waitlist=True),
        correlation_id=correlation_id,
        causation_id=exit_event_id,
    )
    assert (envelope.event_type, envelope.producer, envelope.participant_id) == (
        "ParticipantPlaced",
        "placement",
        participant_id,
    )
    assert (envelope.correlation_id, envelope.causation_id) == (correlation_id, exit_event_id)
    assert envelope.data == {"work_area": "care", "placed_on": "2026-11-25", "from_waitlist": True}


def test_waitlisting_and_ending_map_to_their_contracts() -> None:
    participant_id = uuid.uuid4()
    waitlisted = published_event(Waitlisted(participant_id, CARE, 3), correlation_id=None, causation_id=None)
    ended = published_event(
        PlacementEndedOnExit(participant_id, CARE, TODAY), correlation_id=None, causation_id=None
    )
    assert waitlisted.event_type == "ParticipantWaitlisted"
    assert waitlisted.data == {"work_area": "care", "position": 3}
    assert waitlisted.correlation_id == waitlisted.event_id  # a new flow
    assert ended.event_type == "PlacementEnded"
    assert ended.data == {"work_area": "care", "ended_on": "2026-11-25", "reason": "exited"}
    for envelope in (waitlisted, ended):
        parse_event_data(envelope)  # valid against the contract


def test_a_held_re_entrys_decision_answers_its_enrolment_not_the_exit_handled() -> None:
    participant_id, enrolment_event, enrolment_flow = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    exit_event, exit_flow = uuid.uuid4(), uuid.uuid4()
    envelope = published_event(
        Waitlisted(participant_id, CARE, 2, cause=Cause(enrolment_event, enrolment_flow)),
        correlation_id=exit_flow,
        causation_id=exit_event,
    )
    assert (envelope.correlation_id, envelope.causation_id) == (enrolment_flow, enrolment_event)
    assert envelope.data == {"work_area": "care", "position": 2}
