"""Placement's decisions map onto the published contracts, with the flow's correlation kept."""

import datetime as dt
import uuid

from placement.adapters.published_events import published_event
from placement.domain.enrolment import Cause
from placement.domain.events import (
    OfferDeclined,
    Offered,
    OfferExpired,
    Placed,
    PlacementEnded,
    PlacementEvent,
    Waitlisted,
)
from tests.unit.placement.builders import CARE, NOW, TODAY, VALID_FOR, WORKSHOP
from werkstattnetz_shared.events import parse_event_data
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason, PlacementEndReason, PlacementKind

OFFER = uuid.uuid4()


def test_a_placement_from_an_accepted_offer_names_its_workshop_kind_and_offer() -> None:
    participant_id, correlation_id = uuid.uuid4(), uuid.uuid4()
    envelope = published_event(
        Placed(
            participant_id,
            CARE,
            TODAY,
            from_waitlist=True,
            workshop_id=WORKSHOP[CARE],
            kind=PlacementKind.OFFER_ACCEPTED,
            offer_id=OFFER,
        ),
        correlation_id=correlation_id,
        causation_id=None,
    )
    assert (envelope.event_type, envelope.producer, envelope.participant_id) == (
        "ParticipantPlaced",
        "placement",
        participant_id,
    )
    assert (envelope.correlation_id, envelope.causation_id) == (correlation_id, None)
    assert envelope.data == {
        "work_area": "care",
        "placed_on": "2026-11-25",
        "from_waitlist": True,
        "workshop_id": str(WORKSHOP[CARE]),
        "kind": "offer_accepted",
        "offer_id": str(OFFER),
        "workshop_lead": None,
    }
    parse_event_data(envelope)


def test_waitlisting_and_ending_map_to_their_contracts() -> None:
    participant_id = uuid.uuid4()
    waitlisted = published_event(Waitlisted(participant_id, CARE, 3), correlation_id=None, causation_id=None)
    ended = published_event(
        PlacementEnded(participant_id, CARE, TODAY, PlacementEndReason.TRANSFERRED, WORKSHOP[CARE]),
        correlation_id=None,
        causation_id=None,
    )
    assert waitlisted.event_type == "ParticipantWaitlisted"
    assert waitlisted.data == {"work_area": "care", "position": 3}
    assert waitlisted.correlation_id == waitlisted.event_id  # a new flow
    assert ended.event_type == "PlacementEnded"
    assert ended.data == {
        "work_area": "care",
        "ended_on": "2026-11-25",
        "reason": "transferred",
        "workshop_id": str(WORKSHOP[CARE]),
    }
    for envelope in (waitlisted, ended):
        parse_event_data(envelope)  # valid against the contract


def test_offers_and_their_ends_carry_only_ids_the_area_and_moments() -> None:
    participant_id, exit_event, exit_flow = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    events: list[PlacementEvent] = [
        Offered(participant_id, OFFER, WORKSHOP[CARE], CARE, NOW, NOW + VALID_FOR),
        OfferDeclined(participant_id, OFFER, WORKSHOP[CARE], CARE, OfferDeclineReason.NOT_REACHABLE, NOW),
        OfferExpired(participant_id, OFFER, WORKSHOP[CARE], CARE, NOW + VALID_FOR),
    ]
    offered, declined, expired = (
        published_event(event, correlation_id=exit_flow, causation_id=exit_event) for event in events
    )
    assert [e.event_type for e in (offered, declined, expired)] == [
        "PlacementOffered",
        "OfferDeclined",
        "OfferExpired",
    ]
    common = {"offer_id": str(OFFER), "workshop_id": str(WORKSHOP[CARE]), "work_area": "care"}
    assert offered.data == {
        **common,
        "offered_at": "2026-11-25T09:30:00Z",
        "expires_at": "2026-11-28T09:30:00Z",
    }
    assert declined.data == {**common, "reason": "not_reachable", "declined_at": "2026-11-25T09:30:00Z"}
    assert expired.data == {**common, "expired_at": "2026-11-28T09:30:00Z"}
    assert all(
        e.participant_id == participant_id and e.causation_id == exit_event for e in (offered, expired)
    )
    parsed = parse_event_data(offered)
    assert parsed.expires_at - parsed.offered_at == dt.timedelta(hours=72)  # type: ignore[attr-defined]
    for envelope in (declined, expired):
        parse_event_data(envelope)


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
