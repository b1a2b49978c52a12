"""CloudEvents binary-mode headers repeat the envelope's routing facts."""

import datetime as dt
import uuid

from werkstattnetz_shared.events import EventEnvelope, PlacementEnded
from werkstattnetz_shared.events.cloudevents import cloudevent_headers, headers_as_dict
from werkstattnetz_shared.events.vocabulary import PlacementEndReason, WorkArea


def test_headers_name_id_type_source_time_and_subject() -> None:
    envelope = EventEnvelope.wrap(
        PlacementEnded(
            work_area=WorkArea.CARE, ended_on=dt.date(2026, 11, 3), reason=PlacementEndReason.EXITED
        ),
        producer="placement",
        participant_id=uuid.uuid4(),
        occurred_at=dt.datetime(2026, 11, 3, 12, 30, tzinfo=dt.UTC),
    )
    headers = headers_as_dict(cloudevent_headers(envelope))
    assert headers["ce_specversion"] == "1.0"
    assert headers["ce_id"] == str(envelope.event_id)
    assert headers["ce_type"] == "org.werkstattnetz.PlacementEnded.v1"
    assert headers["ce_source"] == "/werkstattnetz/placement"
    assert headers["ce_time"] == "2026-11-03T12:30:00Z"
    assert headers["ce_subject"] == str(envelope.participant_id)
    assert headers["content-type"] == "application/json"
