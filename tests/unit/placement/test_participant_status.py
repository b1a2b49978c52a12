"""A participant's placement only moves along its allowed paths; anything else is refused."""

import datetime as dt
import uuid

import pytest

from placement.domain.enrolment import HeldEnrolment
from placement.domain.errors import (
    EndDateMustFitPlacement,
    ParticipantMustBePlaced,
    ParticipantMustNotBePlaced,
    StatusMustAllowChange,
    StayMustBeActive,
    TransferMustChangeWorkshop,
)
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.urgency import UrgencyReason
from tests.unit.placement.builders import BIKE, CARE, NOW, TODAY, WORKSHOP, cause, enrolment


def placed() -> Participant:
    return Participant.placed_on_enrolment(
        enrolment(CARE), CARE, WORKSHOP[CARE], TODAY - dt.timedelta(days=9)
    )


def test_a_placed_person_cannot_be_placed_from_the_waitlist_by_hand_or_leave_it() -> None:
    person = placed()
    with pytest.raises(StatusMustAllowChange, match="is placed, needs waitlisted"):
        person.place_from_waitlist(TODAY)
    with pytest.raises(ParticipantMustNotBePlaced, match="move them with a transfer"):
        person.place_by_hand(TODAY, WORKSHOP[BIKE], BIKE)
    with pytest.raises(StatusMustAllowChange):
        person.leave_waitlist(TODAY)


def test_a_waiting_person_has_no_placement_to_end_or_transfer() -> None:
    waits = Participant.waiting_after_enrolment(enrolment(CARE), since=NOW)
    with pytest.raises(StatusMustAllowChange):
        waits.end_placement(TODAY)
    with pytest.raises(ParticipantMustBePlaced, match="is waitlisted, needs placed"):
        waits.end_placement_by_hand(TODAY, TODAY)
    with pytest.raises(ParticipantMustBePlaced):
        waits.transfer_to(TODAY, WORKSHOP[BIKE], BIKE)


def test_a_transfer_moves_to_another_workshop_and_keeps_the_person_placed() -> None:
    person = placed()
    with pytest.raises(TransferMustChangeWorkshop):
        person.transfer_to(TODAY, WORKSHOP[CARE], CARE)
    person.transfer_to(TODAY, WORKSHOP[BIKE], BIKE)
    assert (person.status, person.work_area, person.workshop_id, person.placed_on) == (
        PlacementStatus.PLACED,
        BIKE,
        WORKSHOP[BIKE],
        TODAY,
    )


def test_a_placement_ended_by_hand_leaves_the_stay_active_until_the_exit() -> None:
    person = placed()
    with pytest.raises(EndDateMustFitPlacement):
        person.end_placement_by_hand(TODAY + dt.timedelta(days=1), TODAY)
    with pytest.raises(EndDateMustFitPlacement):
        person.end_placement_by_hand(TODAY - dt.timedelta(days=10), TODAY)
    person.end_placement_by_hand(TODAY, TODAY)
    assert (person.status, person.ended_on, person.holds_a_spot) == (
        PlacementStatus.BETWEEN_PLACEMENTS,
        TODAY,
        True,
    )
    assert person.place_by_hand(TODAY, WORKSHOP[BIKE], BIKE) is False  # not from the waitlist
    assert (person.status, person.workshop_id, person.ended_on) == (
        PlacementStatus.PLACED,
        WORKSHOP[BIKE],
        None,
    )


def test_only_an_active_stay_is_placed_by_hand_or_prioritised() -> None:
    person = placed()
    person.end_placement(TODAY)
    with pytest.raises(StayMustBeActive, match="their stay has ended"):
        person.place_by_hand(TODAY, WORKSHOP[CARE], CARE)
    with pytest.raises(StayMustBeActive):
        person.mark_urgent(UrgencyReason.COURT_ORDER)


def test_urgency_is_set_with_its_reason_and_cleared_with_it() -> None:
    waits = Participant.waiting_after_enrolment(enrolment(CARE), since=NOW)
    waits.mark_urgent(UrgencyReason.CHILD_WELFARE_CONCERN)
    assert (waits.urgent, waits.urgency_reason) == (True, UrgencyReason.CHILD_WELFARE_CONCERN)
    waits.mark_urgent(None)
    assert (waits.urgent, waits.urgency_reason) == (False, None)


def test_a_new_stay_starts_without_the_last_ones_urgency_or_workshop() -> None:
    person = placed()
    person.mark_urgent(UrgencyReason.OTHER)
    person.end_placement(TODAY)
    person.start_stay_waiting(enrolment(CARE, participant_id=person.participant_id), since=NOW)
    assert (person.urgent, person.urgency_reason, person.workshop_id) == (False, None, None)


def test_only_a_stay_whose_exit_came_first_can_be_noted_as_ended() -> None:
    waits = Participant.waiting_after_enrolment(enrolment(CARE), since=NOW)
    with pytest.raises(StatusMustAllowChange):
        waits.note_stay_that_already_ended(enrolment(CARE, participant_id=waits.participant_id))
    ended = placed()
    ended.end_placement(TODAY)
    with pytest.raises(StatusMustAllowChange, match="no exit of it is known"):
        ended.note_stay_that_already_ended(enrolment(CARE, participant_id=ended.participant_id))


def test_an_active_stay_cannot_start_another_or_take_an_exit_ahead() -> None:
    person = placed()
    again = enrolment(CARE, participant_id=person.participant_id)
    with pytest.raises(StatusMustAllowChange, match="still active"):
        person.start_stay_placed(again, CARE, TODAY)
    with pytest.raises(StatusMustAllowChange):
        person.note_exit_ahead(TODAY)
    with pytest.raises(StatusMustAllowChange):
        person.take_next_held()
    person.end_placement_by_hand(TODAY, TODAY)  # between placements: still active
    with pytest.raises(StatusMustAllowChange, match="still active"):
        person.start_stay_placed(again, CARE, TODAY)


def test_a_stay_whose_exit_came_first_cannot_be_started() -> None:
    exited = Participant.exited_before_enrolment(uuid.uuid4(), TODAY)
    with pytest.raises(StatusMustAllowChange, match="has already ended"):
        exited.start_stay_waiting(enrolment(CARE, participant_id=exited.participant_id), since=NOW)


def test_only_an_active_stay_holds_a_re_entry() -> None:
    ended = placed()
    ended.end_placement(TODAY)
    held = HeldEnrolment(enrolment(CARE, participant_id=ended.participant_id), cause(), NOW)
    with pytest.raises(StayMustBeActive, match="needs placed, waitlisted or between_placements"):
        ended.hold_re_entry(held)
