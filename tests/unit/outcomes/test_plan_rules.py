"""Development plans: goal and milestone status transitions, due dates, notes, and which stay."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from outcomes.domain.errors import ParticipantMustBeKnown
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.plan import MILESTONE_HORIZON_DAYS, Aim, Goal, GoalStatus, MilestoneStatus
from outcomes.domain.plan_errors import (
    DueDateWithinStayHorizon,
    GoalMustBeActive,
    GoalStatusTransitionAllowed,
    MilestoneMissedOnlyAfterDueDate,
    MilestoneStatusTransitionAllowed,
    NoteDateWithinStay,
    StayMustBeKnown,
    StayMustBeOpen,
)
from outcomes.domain.plan_stay import stay_to_change, stay_to_read
from outcomes.domain.progress_note import ProgressNote
from outcomes.domain.stay import Enrolment
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource

ENROLLED_ON = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 9, 30)


def goal(status: GoalStatus = GoalStatus.OPEN) -> Goal:
    return Goal(goal_id=uuid.uuid4(), aim=Aim.MOTIVATION, text="Kommt pünktlich", status=status)


def record_with_stays(count: int) -> ParticipantRecord:
    record = ParticipantRecord(participant_id=uuid.uuid4())
    for number in range(count):
        enrolled_on = ENROLLED_ON + dt.timedelta(days=100 * number)
        record.record_enrolment(
            Enrolment(enrolled_on, Funder.JOBCENTER, AgeBand.AGE_18_20, ReferralSource.SELF, uuid.uuid4())
        )
        if number < count - 1:
            record.exit_to(Destination.DROPOUT, enrolled_on + dt.timedelta(days=50), TODAY)
    return record


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (GoalStatus.OPEN, GoalStatus.IN_PROGRESS),
        (GoalStatus.OPEN, GoalStatus.ACHIEVED),
        (GoalStatus.OPEN, GoalStatus.DROPPED),
        (GoalStatus.IN_PROGRESS, GoalStatus.OPEN),
        (GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED),
        (GoalStatus.IN_PROGRESS, GoalStatus.DROPPED),
    ],
)
def test_an_active_goal_moves_on(start: GoalStatus, to: GoalStatus) -> None:
    the_goal = goal(start)
    the_goal.change_status(to)
    assert the_goal.status is to


@pytest.mark.parametrize("final", [GoalStatus.ACHIEVED, GoalStatus.DROPPED])
@pytest.mark.parametrize("to", [GoalStatus.OPEN, GoalStatus.IN_PROGRESS])
def test_achieved_and_dropped_are_final(final: GoalStatus, to: GoalStatus) -> None:
    with pytest.raises(GoalStatusTransitionAllowed) as refused:
        goal(final).change_status(to)
    assert refused.value.field == "status"
    assert f"{final.value} cannot become {to.value}" in refused.value.message


def test_achieved_cannot_become_dropped_either() -> None:
    with pytest.raises(GoalStatusTransitionAllowed):
        goal(GoalStatus.ACHIEVED).change_status(GoalStatus.DROPPED)


def test_the_same_status_again_changes_nothing() -> None:
    the_goal = goal(GoalStatus.ACHIEVED)
    the_goal.change_status(GoalStatus.ACHIEVED)
    assert the_goal.status is GoalStatus.ACHIEVED


def test_a_milestone_is_due_within_the_stays_horizon() -> None:
    the_goal = goal()
    latest = ENROLLED_ON + dt.timedelta(days=MILESTONE_HORIZON_DAYS)
    assert the_goal.add_milestone("Erste Woche", ENROLLED_ON, ENROLLED_ON).due_on == ENROLLED_ON
    assert the_goal.add_milestone("Spät", latest, ENROLLED_ON).due_on == latest
    for implausible in (ENROLLED_ON - dt.timedelta(days=1), latest + dt.timedelta(days=1)):
        with pytest.raises(DueDateWithinStayHorizon) as refused:
            the_goal.add_milestone("x", implausible, ENROLLED_ON)
        assert refused.value.field == "due_on"
    assert len(the_goal.milestones) == 2


@pytest.mark.parametrize("closed", [GoalStatus.ACHIEVED, GoalStatus.DROPPED])
def test_milestones_go_to_active_goals_only(closed: GoalStatus) -> None:
    with pytest.raises(GoalMustBeActive):
        goal(closed).add_milestone("x", TODAY, ENROLLED_ON)


def test_a_milestone_is_missed_only_after_its_due_date() -> None:
    milestone = goal().add_milestone("Bewerbung abschicken", TODAY, ENROLLED_ON)
    with pytest.raises(MilestoneMissedOnlyAfterDueDate) as refused:
        milestone.change_status(MilestoneStatus.MISSED, today=TODAY)
    assert refused.value.field == "status"
    milestone.change_status(MilestoneStatus.MISSED, today=TODAY + dt.timedelta(days=1))
    assert milestone.status is MilestoneStatus.MISSED


def test_a_missed_milestone_may_still_be_done_but_done_is_final() -> None:
    milestone = goal().add_milestone("x", ENROLLED_ON, ENROLLED_ON)
    milestone.change_status(MilestoneStatus.MISSED, today=TODAY)
    milestone.change_status(MilestoneStatus.DONE, today=TODAY)
    assert milestone.status is MilestoneStatus.DONE
    for to in (MilestoneStatus.OPEN, MilestoneStatus.MISSED):
        with pytest.raises(MilestoneStatusTransitionAllowed):
            milestone.change_status(to, today=TODAY)


def test_rescheduling_a_milestone_checks_the_horizon() -> None:
    milestone = goal().add_milestone("x", TODAY, ENROLLED_ON)
    with pytest.raises(DueDateWithinStayHorizon):
        milestone.reschedule(dt.date(1999, 1, 1), ENROLLED_ON)
    milestone.reschedule(TODAY + dt.timedelta(days=30), ENROLLED_ON)
    assert milestone.due_on == TODAY + dt.timedelta(days=30)


def test_a_note_is_dated_within_the_stay() -> None:
    def note(written_on: dt.date) -> ProgressNote:
        return ProgressNote.written(
            stay=1,
            goal_id=None,
            text="Gespräch",
            written_on=written_on,
            author="jana",
            enrolled_on=ENROLLED_ON,
            today=TODAY,
        )

    assert note(ENROLLED_ON).written_on == ENROLLED_ON
    assert note(TODAY).author == "jana"
    for outside in (ENROLLED_ON - dt.timedelta(days=1), TODAY + dt.timedelta(days=1)):
        with pytest.raises(NoteDateWithinStay) as refused:
            note(outside)
        assert refused.value.field == "written_on"


def test_case_work_is_filed_under_the_latest_stay_and_closes_with_its_exit() -> None:
    record = record_with_stays(2)
    assert stay_to_change(record).number == 2
    assert stay_to_read(record, None).number == 2
    assert stay_to_read(record, 1).number == 1
    with pytest.raises(StayMustBeKnown):
        stay_to_read(record, 3)
    record.exit_to(Destination.EMPLOYMENT, TODAY, TODAY)
    with pytest.raises(StayMustBeOpen) as refused:
        stay_to_change(record)
    assert "stay 2 ended" in refused.value.message


def test_without_an_enrolment_there_is_no_plan() -> None:
    with pytest.raises(ParticipantMustBeKnown):
        stay_to_read(ParticipantRecord(participant_id=uuid.uuid4()), None)
    with pytest.raises(ParticipantMustBeKnown):
        stay_to_change(None)
