"""`when_participant_exited_free_seat_and_offer_next`: freed seats, waitlist exits, unknown people."""

import datetime as dt
import uuid

import pytest

from placement.domain.decisions import Decision, Exit, when_participant_exited_free_seat_and_offer_next
from placement.domain.events import Placed, PlacementEndedOnExit
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.workshop import Waitlist, Workshop
from tests.unit.placement.builders import BIKE, CARE, ENROLLED_ON, NOW, TODAY, enrolment, waiting

EXIT_DATE = dt.date(2026, 11, 24)


def decide(
    leaving: Participant | None,
    workshop: Workshop | None = None,
    waitlist: Waitlist | None = None,
    *,
    participant_id: uuid.UUID | None = None,
    exit_date: dt.date = EXIT_DATE,
) -> Decision:
    """The exit of `leaving` (or of an unknown `participant_id`), deciding on the workshop given."""
    exit_ = Exit(leaving.participant_id if leaving else participant_id or uuid.uuid4(), exit_date)
    workshops = {workshop.work_area: workshop} if workshop is not None else {}
    waitlists = {waitlist.work_area: waitlist} if waitlist is not None else {}
    return when_participant_exited_free_seat_and_offer_next(exit_, leaving, workshops, waitlists, TODAY, NOW)


def placed_in(area: Workshop) -> Participant:
    return Participant.placed_on_enrolment(enrolment(area.work_area), area.work_area)


def test_the_exit_of_a_placed_person_ends_the_placement_and_frees_the_seat() -> None:
    care = Workshop(CARE, capacity=1, occupied=1)
    leaving = placed_in(care)
    decision = decide(leaving, care, Waitlist(CARE))

    assert decision.events == [PlacementEndedOnExit(leaving.participant_id, CARE, EXIT_DATE)]
    assert decision.changed == [leaving]
    assert (leaving.status, leaving.ended_on, leaving.exited_on) == (
        PlacementStatus.ENDED,
        EXIT_DATE,
        EXIT_DATE,
    )
    assert (care.occupied, care.free_seats) == (0, 1)


def test_the_freed_seat_goes_to_the_first_person_waiting_and_the_rest_move_up() -> None:
    care = Workshop(CARE, capacity=1, occupied=1)
    leaving = placed_in(care)
    waitlist = waiting(CARE, 3)
    first, second, third = list(waitlist.waiting)
    decision = decide(leaving, care, waitlist)

    assert decision.events == [
        PlacementEndedOnExit(leaving.participant_id, CARE, EXIT_DATE),
        Placed(first.participant_id, CARE, TODAY, from_waitlist=True),
    ]
    assert decision.changed == [leaving, first]
    assert (first.status, first.placed_on, first.from_waitlist) == (PlacementStatus.PLACED, TODAY, True)
    assert [waitlist.position_of(p.participant_id) for p in (second, third)] == [1, 2]
    assert care.occupied == 1


def test_a_seat_freed_on_a_future_exit_date_is_taken_from_that_date() -> None:
    care = Workshop(CARE, capacity=1, occupied=1)
    leaving = placed_in(care)
    waitlist = waiting(CARE, 1)
    later = TODAY + dt.timedelta(days=5)
    decision = decide(leaving, care, waitlist, exit_date=later)
    assert decision.events[-1] == Placed(decision.changed[-1].participant_id, CARE, later, from_waitlist=True)


def test_with_a_lowered_capacity_a_freed_seat_is_not_offered() -> None:
    care = Workshop(CARE, capacity=1, occupied=3)  # capacity was lowered from 3 at the last start
    leaving = placed_in(care)
    waitlist = waiting(CARE, 2)
    decision = decide(leaving, care, waitlist)
    assert decision.events == [PlacementEndedOnExit(leaving.participant_id, CARE, EXIT_DATE)]
    assert (care.occupied, len(waitlist)) == (2, 2)


def test_a_person_waiting_who_exits_leaves_the_waitlist_and_those_behind_move_up() -> None:
    care = Workshop(CARE, capacity=1, occupied=1)
    waitlist = waiting(CARE, 3)
    first, second, third = list(waitlist.waiting)
    decision = decide(second, care, waitlist)

    assert decision.events == []
    assert decision.changed == [second]
    assert (second.status, second.exited_on) == (PlacementStatus.LEFT_WAITLIST, EXIT_DATE)
    assert [waitlist.position_of(p.participant_id) for p in (first, third)] == [1, 2]
    assert care.occupied == 1


def test_an_exit_before_the_enrolment_is_remembered_without_a_seat_or_event() -> None:
    unknown = uuid.uuid4()
    decision = decide(None, participant_id=unknown)

    assert decision.events == []
    [remembered] = decision.changed
    assert remembered.participant_id == unknown
    assert (remembered.status, remembered.exited_on) == (PlacementStatus.EXITED_BEFORE_ENROLMENT, EXIT_DATE)
    assert remembered.work_area is None


@pytest.mark.parametrize("second_exit_date", [EXIT_DATE, EXIT_DATE + dt.timedelta(days=3)])
def test_a_second_exit_frees_no_seat_and_is_kept_as_the_exit_of_a_stay_not_yet_enrolled(
    second_exit_date: dt.date,
) -> None:
    """Outcomes records one exit per stay, so another exit is that of a later stay whose enrolment
    has not arrived yet (the topics have no order between them)."""
    care = Workshop(CARE, capacity=1, occupied=1)
    leaving = placed_in(care)
    waitlist = Waitlist(CARE)
    decide(leaving, care, waitlist)
    again = decide(leaving, care, waitlist, exit_date=second_exit_date)

    assert (again.changed, again.events) == ([leaving], [])
    assert (leaving.status, leaving.ended_on, leaving.exits_ahead) == (
        PlacementStatus.ENDED,
        EXIT_DATE,
        (second_exit_date,),
    )
    assert care.occupied == 0


@pytest.mark.parametrize(
    "earlier",
    [
        Participant.exited_before_enrolment(uuid.uuid4(), EXIT_DATE),
        Participant(
            uuid.uuid4(), PlacementStatus.LEFT_WAITLIST, (CARE,), enrolled_on=ENROLLED_ON, work_area=CARE
        ),
    ],
)
def test_a_second_exit_of_someone_without_a_seat_only_is_remembered(earlier: Participant) -> None:
    status = earlier.status
    decision = decide(earlier, None, None, exit_date=EXIT_DATE + dt.timedelta(days=1))
    assert (decision.changed, decision.events) == ([earlier], [])
    assert earlier.status is status
    assert earlier.exits_ahead[-1] == EXIT_DATE + dt.timedelta(days=1)


def test_deciding_on_a_placed_person_needs_their_own_workshop() -> None:
    care = Workshop(CARE, capacity=1, occupied=1)
    leaving = placed_in(care)
    with pytest.raises(ValueError, match="workshop and waitlist"):
        decide(leaving, Workshop(BIKE, 1, 1), Waitlist(BIKE))
