"""A participant's placement only moves along its allowed paths; anything else is refused."""

import pytest

from placement.domain.errors import StatusMustAllowChange
from placement.domain.participant import Participant
from tests.unit.placement.builders import CARE, NOW, TODAY, enrolment


def test_a_placed_person_cannot_be_placed_from_the_waitlist_or_leave_it() -> None:
    placed = Participant.placed_on_enrolment(enrolment(CARE), CARE)
    with pytest.raises(StatusMustAllowChange, match="status is placed, needs waitlisted"):
        placed.place_from_waitlist(TODAY)
    with pytest.raises(StatusMustAllowChange):
        placed.leave_waitlist(TODAY)


def test_a_waiting_person_has_no_placement_to_end() -> None:
    waits = Participant.waiting_after_enrolment(enrolment(CARE), since=NOW)
    with pytest.raises(StatusMustAllowChange):
        waits.end_placement(TODAY)


def test_only_someone_who_exited_first_can_take_a_late_enrolment() -> None:
    waits = Participant.waiting_after_enrolment(enrolment(CARE), since=NOW)
    with pytest.raises(StatusMustAllowChange):
        waits.note_late_enrolment(enrolment(CARE))
