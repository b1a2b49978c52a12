"""The subject and body of each staff mail, built only from a trigger's coarse facts.

Mail leaves our systems, so it names no person: staff get the pseudonymous participant id and look
the person up in intake, where access to personal data is checked and audited.
"""

from __future__ import annotations

import datetime as dt
import uuid

from notifications.domain.triggers import (
    ParticipantWasIntegrated,
    ParticipantWasPlaced,
    ParticipantWasWaitlisted,
    Trigger,
)
from werkstattnetz_shared.events.vocabulary import Destination, WorkArea

SUBJECT_PREFIX = "[werkstattnetz]"

WORK_AREA_NAMES: dict[WorkArea, str] = {
    WorkArea.BIKE_METAL: "Fahrrad und Metall",
    WorkArea.GARDEN_LANDSCAPE: "Garten- und Landschaftspflege",
    WorkArea.BUILDING_SERVICES: "Gebäudeassistenz",
    WorkArea.CARE: "Betreuung und Pflege",
}

DESTINATION_NAMES: dict[Destination, str] = {
    Destination.APPRENTICESHIP: "Ausbildung",
    Destination.EMPLOYMENT: "Arbeit",
    Destination.THERAPY: "Therapie",
    Destination.SCHOOL: "Schule",
    Destination.OTHER_MEASURE: "andere Maßnahme",
    Destination.DROPOUT: "Abbruch",
    Destination.UNKNOWN: "unbekannt",
}

# Lines stay under 78 characters so mail clients show the text as written (RFC 5322).
LOOK_UP_HINT = (
    "This mail deliberately carries no personal data. To see who this is,\n"
    "look the participant id up in intake (GET /v1/participants/<id>);\n"
    "that access is audited."
)


def work_area_label(area: WorkArea) -> str:
    return f"{WORK_AREA_NAMES[area]} ({area.value})"


def destination_label(destination: Destination) -> str:
    return f"{DESTINATION_NAMES[destination]} ({destination.value})"


def compose_mail(trigger: Trigger) -> tuple[str, str]:
    """(subject, body) of the mail about `trigger`."""
    match trigger:
        case ParticipantWasPlaced():
            return (
                f"{SUBJECT_PREFIX} Placement in {work_area_label(trigger.work_area)}",
                _body(
                    "A participant has been placed in a workshop.",
                    trigger.participant_id,
                    [
                        ("Work area", work_area_label(trigger.work_area)),
                        ("Placed on", _day(trigger.placed_on)),
                    ],
                ),
            )
        case ParticipantWasWaitlisted():
            return (
                f"{SUBJECT_PREFIX} Waitlisted for {work_area_label(trigger.work_area)}",
                _body(
                    "A participant has been put on the waitlist of a work area.",
                    trigger.participant_id,
                    [
                        ("Work area", work_area_label(trigger.work_area)),
                        ("Waitlisted on", _day(trigger.waitlisted_on)),
                    ],
                ),
            )
        case ParticipantWasIntegrated():
            last_area = trigger.last_work_area
            return (
                f"{SUBJECT_PREFIX} Integration achieved: {destination_label(trigger.destination)}",
                _body(
                    "A participant has left the programme into an integrated destination.",
                    trigger.participant_id,
                    [
                        ("Destination", destination_label(trigger.destination)),
                        ("Exit date", _day(trigger.exit_date)),
                        ("Last work area", work_area_label(last_area) if last_area else "never placed"),
                    ],
                ),
            )


def _body(headline: str, participant_id: uuid.UUID, facts: list[tuple[str, str]]) -> str:
    lines = [headline, "", f"Participant id: {participant_id}"]
    lines += [f"{label}: {value}" for label, value in facts]
    return "\n".join([*lines, "", LOOK_UP_HINT, ""])


def _day(day: dt.date) -> str:
    return day.isoformat()
