"""A participant's placement only moves along its allowed paths; anything else is refused."""

import uuid

import pytest

from placement.domain.enrolment import HeldEnrolment
from placement.domain.errors import StatusMustAllowChange
from placement.domain.participant import Participant
from tests.unit.placement.builders import CARE, NOW, TODAY, cause, enrolment


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


def test_only_a_stay_whose_exit_came_first_can_be_noted_as_ended() -> None:
    waits = Participant.waiting_after_enrolment(enrolment(CARE), since=NOW)
    with pytest.raises(StatusMustAllowChange):
        waits.note_stay_that_already_ended(enrolment(CARE, participant_id=waits.participant_id))
    ended = Participant.placed_on_enrolment(enrolment(CARE), CARE)
    ended.end_placement(TODAY)
    with pytest.raises(StatusMustAllowChange, match="no exit of it is known"):
        ended.note_stay_that_already_ended(enrolment(CARE, participant_id=ended.participant_id))


def test_an_active_stay_cannot_start_another_or_take_an_exit_ahead() -> None:
    placed = Participant.placed_on_enrolment(enrolment(CARE), CARE)
    again = enrolment(CARE, participant_id=placed.participant_id)
    with pytest.raises(StatusMustAllowChange, match="still active"):
        placed.start_stay_placed(again, CARE, TODAY)
    with pytest.raises(StatusMustAllowChange):
        placed.note_exit_ahead(TODAY)
    with pytest.raises(StatusMustAllowChange):
        placed.take_next_held()


def test_a_stay_whose_exit_came_first_cannot_be_started() -> None:
    exited = Participant.exited_before_enrolment(uuid.uuid4(), TODAY)
    with pytest.raises(StatusMustAllowChange, match="has already ended"):
        exited.start_stay_waiting(enrolment(CARE, participant_id=exited.participant_id), since=NOW)


def test_only_an_active_stay_holds_a_re_entry() -> None:
    ended = Participant.placed_on_enrolment(enrolment(CARE), CARE)
    ended.end_placement(TODAY)
    held = HeldEnrolment(enrolment(CARE, participant_id=ended.participant_id), cause(), NOW)
    with pytest.raises(StatusMustAllowChange, match="needs placed or waitlisted"):
        ended.hold_re_entry(held)
