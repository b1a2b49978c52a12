"""Which stay case work is filed under: the participant's latest stay, open for changes until its exit."""

from __future__ import annotations

from outcomes.domain.errors import ParticipantMustBeKnown
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.plan_errors import StayMustBeKnown, StayMustBeOpen
from outcomes.domain.stay import Stay


def stay_to_read(record: ParticipantRecord | None, number: int | None) -> Stay:
    """The stay numbered (the latest when None) of a participant whose enrolment outcomes heard."""
    if record is None or record.current is None:
        raise ParticipantMustBeKnown("outcomes knows of no enrolment of this participant")
    if number is None:
        return record.current
    stay = next((stay for stay in record.stays if stay.number == number), None)
    if stay is None:
        raise StayMustBeKnown(f"the participant has no stay {number} (their latest is {len(record.stays)})")
    return stay


def stay_to_change(record: ParticipantRecord | None) -> Stay:
    """The latest stay, while it is open: its exit closes its plan."""
    stay = stay_to_read(record, None)
    if stay.exit is not None:
        raise StayMustBeOpen(
            f"stay {stay.number} ended with the exit on {stay.exit.exit_date.isoformat()}: its plan "
            "and notes are closed"
        )
    return stay
