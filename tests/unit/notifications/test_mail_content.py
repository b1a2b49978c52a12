"""Staff mails carry only the pseudonymous id, the work area or destination, and dates.

Every other fact of the consumed events (funder, waitlist position, whether the seat came from the
waitlist, event ids, producer, …) is varied here and must not change the mail by a single byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from notifications.domain.messages import destination_label, work_area_label
from notifications.domain.notification import StaffToNotify, notification_for
from notifications.domain.triggers import (
    ParticipantWasIntegrated,
    ParticipantWasPlaced,
    ParticipantWasWaitlisted,
)
from notifications.entrypoints.event_handlers import trigger_from
from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    IntegrationAchieved,
    ParticipantPlaced,
    ParticipantWaitlisted,
)
from werkstattnetz_shared.events.vocabulary import Destination, Funder, WorkArea

BERLIN = ZoneInfo("Europe/Berlin")
STAFF = StaffToNotify(staff_email="team@werkstatt.example")


def mail_text(data: EventData, participant_id: uuid.UUID, occurred_at: dt.datetime | None = None) -> str:
    envelope = EventEnvelope.wrap(
        data,
        producer=f"producer-{uuid.uuid4().hex[:6]}",
        participant_id=participant_id,
        correlation_id=uuid.uuid4(),
        causation_id=uuid.uuid4(),
        occurred_at=occurred_at,
    )
    notification = notification_for(trigger_from(envelope, data, BERLIN), STAFF)
    return f"{notification.subject}\n{notification.body}"


def with_placeholders(text: str, allowed: dict[str, str]) -> str:
    for placeholder, value in allowed.items():
        assert value in text, f"{placeholder} ({value}) is missing from the mail"
        text = text.replace(value, placeholder)
    return text


def test_the_triggers_have_no_field_beyond_the_allowed_coarse_facts() -> None:
    fields = {
        trigger: {field.name for field in dataclasses.fields(trigger)}
        for trigger in (ParticipantWasPlaced, ParticipantWasWaitlisted, ParticipantWasIntegrated)
    }
    assert fields == {
        ParticipantWasPlaced: {"participant_id", "work_area", "placed_on"},
        ParticipantWasWaitlisted: {"participant_id", "work_area", "waitlisted_on"},
        ParticipantWasIntegrated: {"participant_id", "destination", "exit_date", "last_work_area"},
    }


def test_a_placement_mail_varies_only_with_id_work_area_and_date() -> None:
    cases = [
        (WorkArea.BIKE_METAL, dt.date(2026, 3, 2), True),
        (WorkArea.CARE, dt.date(2025, 12, 31), False),
    ]
    templates = set()
    for area, day, from_waitlist in cases:
        participant_id = uuid.uuid4()
        text = mail_text(
            ParticipantPlaced(work_area=area, placed_on=day, from_waitlist=from_waitlist), participant_id
        )
        templates.add(
            with_placeholders(
                text, {"<id>": str(participant_id), "<area>": work_area_label(area), "<day>": day.isoformat()}
            )
        )
    assert len(templates) == 1, templates


def test_a_waitlisting_mail_ignores_the_position_and_shows_the_local_day() -> None:
    participant_id = uuid.uuid4()
    # 23:30 UTC on 1 March is already 2 March in Leipzig.
    late_evening = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    texts = {
        mail_text(
            ParticipantWaitlisted(work_area=WorkArea.CARE, position=position), participant_id, late_evening
        )
        for position in (1, 7, 42)
    }
    assert len(texts) == 1
    text = texts.pop()
    assert "2026-03-02" in text
    for position in ("7", "42"):
        assert position not in text.replace(str(participant_id), "").replace("2026-03-02", "")


def test_an_integration_mail_ignores_the_funder() -> None:
    participant_id = uuid.uuid4()
    texts = {
        mail_text(
            IntegrationAchieved(
                destination=Destination.APPRENTICESHIP,
                exit_date=dt.date(2026, 7, 31),
                work_area=WorkArea.GARDEN_LANDSCAPE,
                funder=funder,
            ),
            participant_id,
        )
        for funder in (Funder.JOBCENTER, Funder.CITY, None)
    }
    assert len(texts) == 1
    text = texts.pop()
    template = with_placeholders(
        text,
        {
            "<id>": str(participant_id),
            "<destination>": destination_label(Destination.APPRENTICESHIP),
            "<area>": work_area_label(WorkArea.GARDEN_LANDSCAPE),
            "<day>": "2026-07-31",
        },
    )
    for funder in Funder:
        assert funder.value not in template


def test_every_mail_tells_staff_to_look_the_person_up_in_intake() -> None:
    text = mail_text(
        ParticipantPlaced(work_area=WorkArea.CARE, placed_on=dt.date(2026, 1, 5), from_waitlist=False),
        uuid.uuid4(),
    )
    assert "look the participant id" in text
    assert "intake" in text
