"""Which event notifies whom, and with what kind of notification."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from notifications.domain.notification import NotificationKind, StaffToNotify, notification_for
from notifications.domain.triggers import (
    ParticipantWasIntegrated,
    ParticipantWasPlaced,
    ParticipantWasWaitlisted,
    Trigger,
)
from werkstattnetz_shared.events.vocabulary import Destination, WorkArea

PARTICIPANT = uuid.uuid4()
DAY = dt.date(2026, 5, 4)
STAFF = StaffToNotify(staff_email="team@werkstatt.example")


@pytest.mark.parametrize(
    ("trigger", "kind", "subject"),
    [
        (
            ParticipantWasPlaced(PARTICIPANT, WorkArea.BUILDING_SERVICES, DAY),
            NotificationKind.PLACEMENT,
            "[werkstattnetz] Placement in Gebäudeassistenz (building_services)",
        ),
        (
            ParticipantWasWaitlisted(PARTICIPANT, WorkArea.GARDEN_LANDSCAPE, DAY),
            NotificationKind.WAITLISTING,
            "[werkstattnetz] Waitlisted for Garten- und Landschaftspflege (garden_landscape)",
        ),
        (
            ParticipantWasIntegrated(PARTICIPANT, Destination.APPRENTICESHIP, DAY, WorkArea.BIKE_METAL),
            NotificationKind.INTEGRATION,
            "[werkstattnetz] Integration achieved: Ausbildung (apprenticeship)",
        ),
    ],
)
def test_each_notified_event_goes_to_staff_with_its_kind(
    trigger: Trigger, kind: NotificationKind, subject: str
) -> None:
    notification = notification_for(trigger, STAFF)
    assert notification.kind is kind
    assert notification.recipient == "team@werkstatt.example"
    assert notification.subject == subject
    assert f"Participant id: {PARTICIPANT}" in notification.body
    assert DAY.isoformat() in notification.body


def test_an_integration_without_placement_says_so() -> None:
    notification = notification_for(
        ParticipantWasIntegrated(PARTICIPANT, Destination.EMPLOYMENT, DAY, None), STAFF
    )
    assert "Last work area: never placed" in notification.body
    assert "Destination: Arbeit (employment)" in notification.body


@pytest.mark.parametrize("area", list(WorkArea))
def test_body_lines_stay_short_enough_to_be_shown_as_written(area: WorkArea) -> None:
    # Longer body lines would go out quoted-printable with soft breaks; a long subject is simply
    # folded as a header and unfolded by every client.
    for trigger in (
        ParticipantWasPlaced(PARTICIPANT, area, DAY),
        ParticipantWasWaitlisted(PARTICIPANT, area, DAY),
        ParticipantWasIntegrated(PARTICIPANT, Destination.OTHER_MEASURE, DAY, area),
    ):
        notification = notification_for(trigger, STAFF)
        assert max(len(line) for line in notification.body.splitlines()) <= 78
