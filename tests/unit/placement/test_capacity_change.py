"""`when_capacity_changed_fill_free_seats`: a larger capacity seats those waiting, in order."""

from placement.domain.decisions import when_capacity_changed_fill_free_seats
from placement.domain.events import Placed
from placement.domain.participant import PlacementStatus
from placement.domain.workshop import Waitlist, Workshop
from tests.unit.placement.builders import CARE, TODAY, waiting


def test_new_seats_go_to_those_waiting_longest_until_the_workshop_is_full() -> None:
    care = Workshop(CARE, capacity=3, occupied=1)  # raised from 1
    waitlist = waiting(CARE, 3)
    first, second, third = list(waitlist.waiting)
    decision = when_capacity_changed_fill_free_seats(care, waitlist, TODAY)

    assert decision.events == [
        Placed(first.participant_id, CARE, TODAY, from_waitlist=True),
        Placed(second.participant_id, CARE, TODAY, from_waitlist=True),
    ]
    assert [p.status for p in (first, second, third)] == [
        PlacementStatus.PLACED,
        PlacementStatus.PLACED,
        PlacementStatus.WAITLISTED,
    ]
    assert waitlist.position_of(third.participant_id) == 1
    assert (care.occupied, care.free_seats) == (3, 0)


def test_free_seats_stay_free_when_nobody_waits() -> None:
    care = Workshop(CARE, capacity=5, occupied=1)
    decision = when_capacity_changed_fill_free_seats(care, Waitlist(CARE), TODAY)
    assert (decision.changed, decision.events, care.occupied) == ([], [], 1)


def test_a_full_or_over_full_workshop_seats_nobody() -> None:
    care = Workshop(CARE, capacity=0, occupied=2)
    waitlist = waiting(CARE, 2)
    decision = when_capacity_changed_fill_free_seats(care, waitlist, TODAY)
    assert (decision.events, len(waitlist), care.occupied) == ([], 2, 2)
