"""Use cases of development plans and progress notes.

The changing ones take a keyword-only `uow` and run inside the caller's open unit of work (the HTTP
request's, which also keeps the answer for an `Idempotency-Key`); they lock the participant's row
first, so case work and an exit of the same participant happen one after the other. The reading
ones open their own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from outcomes.application.unit_of_work import OutcomesUnitOfWork
from outcomes.domain.errors import ParticipantMustBeKnown
from outcomes.domain.plan import Aim, Goal, GoalStatus, Milestone, MilestoneStatus
from outcomes.domain.plan_errors import (
    CaseWorkTextsErased,
    GoalMustBeKnown,
    MilestoneMustBeKnown,
    NoteGoalMustBeInPlan,
)
from outcomes.domain.plan_stay import stay_to_change, stay_to_read
from outcomes.domain.progress_note import ProgressNote
from outcomes.domain.stay import Stay

NOTES_IN_PLAN = 20
"""How many of the latest notes the whole plan shows; the rest through the paginated list."""


@dataclass(frozen=True)
class AddGoal:
    participant_id: uuid.UUID
    aim: Aim
    text: str
    status: GoalStatus
    staff_subject: str


@dataclass(frozen=True)
class ChangeGoal:
    participant_id: uuid.UUID
    goal_id: uuid.UUID
    text: str | None
    status: GoalStatus | None


@dataclass(frozen=True)
class AddMilestone:
    participant_id: uuid.UUID
    goal_id: uuid.UUID
    text: str
    due_on: dt.date


@dataclass(frozen=True)
class ChangeMilestone:
    participant_id: uuid.UUID
    goal_id: uuid.UUID
    milestone_id: uuid.UUID
    text: str | None
    due_on: dt.date | None
    status: MilestoneStatus | None
    today: dt.date


@dataclass(frozen=True)
class AddNote:
    participant_id: uuid.UUID
    goal_id: uuid.UUID | None
    text: str
    written_on: dt.date
    today: dt.date
    staff_subject: str


@dataclass(frozen=True)
class PlanOfStay:
    participant_id: uuid.UUID
    stay: Stay
    goals: list[Goal]
    latest_notes: list[ProgressNote]
    notes_total: int
    erased_on: dt.date | None


@dataclass(frozen=True)
class NotesPage:
    participant_id: uuid.UUID
    stay: int
    notes: list[ProgressNote]
    total: int


async def view_plan(
    participant_id: uuid.UUID, stay_number: int | None, uow: OutcomesUnitOfWork
) -> PlanOfStay:
    async with uow:
        stay = stay_to_read(await uow.participants.get(participant_id), stay_number)
        goals = await uow.plans.goals_of(participant_id, stay.number)
        notes, total = await uow.progress_notes.page(
            participant_id, stay.number, goal_id=None, limit=NOTES_IN_PLAN, offset=0
        )
        erased_on = await uow.erasures.erased_on(participant_id)
    return PlanOfStay(participant_id, stay, goals, notes, total, erased_on)


async def list_notes(
    participant_id: uuid.UUID,
    stay_number: int | None,
    goal_id: uuid.UUID | None,
    *,
    limit: int,
    offset: int,
    uow: OutcomesUnitOfWork,
) -> NotesPage:
    async with uow:
        stay = stay_to_read(await uow.participants.get(participant_id), stay_number)
        notes, total = await uow.progress_notes.page(
            participant_id, stay.number, goal_id=goal_id, limit=limit, offset=offset
        )
    return NotesPage(participant_id, stay.number, notes, total)


async def add_goal(command: AddGoal, *, uow: OutcomesUnitOfWork) -> tuple[Goal, int]:
    """The new goal and the number of the stay whose plan it joined."""
    stay = await _open_stay(command.participant_id, uow, writes_text=True)
    goal = Goal(goal_id=uuid.uuid4(), aim=command.aim, text=command.text)
    goal.change_status(command.status)
    await uow.plans.add_goal(command.participant_id, stay.number, goal, created_by=command.staff_subject)
    return goal, stay.number


async def change_goal(command: ChangeGoal, *, uow: OutcomesUnitOfWork) -> tuple[Goal, int]:
    stay = await _open_stay(command.participant_id, uow, writes_text=command.text is not None)
    goal = await _goal(command.participant_id, stay, command.goal_id, uow)
    if command.status is not None:
        goal.change_status(command.status)
    if command.text is not None:
        goal.text = command.text
    await uow.plans.save_goal(goal)
    return goal, stay.number


async def add_milestone(command: AddMilestone, *, uow: OutcomesUnitOfWork) -> Milestone:
    stay = await _open_stay(command.participant_id, uow, writes_text=True)
    goal = await _goal(command.participant_id, stay, command.goal_id, uow)
    milestone = goal.add_milestone(command.text, command.due_on, stay.enrolment.enrolled_on)
    await uow.plans.add_milestone(milestone)
    return milestone


async def change_milestone(command: ChangeMilestone, *, uow: OutcomesUnitOfWork) -> Milestone:
    stay = await _open_stay(command.participant_id, uow, writes_text=command.text is not None)
    goal = await _goal(command.participant_id, stay, command.goal_id, uow)
    milestone = next((m for m in goal.milestones if m.milestone_id == command.milestone_id), None)
    if milestone is None:
        raise MilestoneMustBeKnown(f"goal {goal.goal_id} has no milestone {command.milestone_id}")
    # The due date first: whether a milestone can be missed depends on when it is due.
    if command.due_on is not None:
        milestone.reschedule(command.due_on, stay.enrolment.enrolled_on)
    if command.status is not None:
        milestone.change_status(command.status, command.today)
    if command.text is not None:
        milestone.text = command.text
    await uow.plans.save_milestone(milestone)
    return milestone


async def add_note(command: AddNote, *, uow: OutcomesUnitOfWork) -> ProgressNote:
    stay = await _open_stay(command.participant_id, uow, writes_text=True)
    if (
        command.goal_id is not None
        and await uow.plans.goal(command.participant_id, stay.number, command.goal_id) is None
    ):
        raise NoteGoalMustBeInPlan(f"stay {stay.number}'s plan has no goal {command.goal_id}")
    note = ProgressNote.written(
        stay=stay.number,
        goal_id=command.goal_id,
        text=command.text,
        written_on=command.written_on,
        author=command.staff_subject,
        enrolled_on=stay.enrolment.enrolled_on,
        today=command.today,
    )
    await uow.progress_notes.add(command.participant_id, note)
    return note


async def _open_stay(participant_id: uuid.UUID, uow: OutcomesUnitOfWork, *, writes_text: bool) -> Stay:
    """The participant's open stay, locked; refuses new text about a person whose data was erased."""
    record = await uow.participants.get_for_update(participant_id)
    if record is None or not record.is_known:
        raise ParticipantMustBeKnown(f"outcomes knows of no enrolment of participant {participant_id}")
    stay = stay_to_change(record)
    if writes_text and (erased_on := await uow.erasures.erased_on(participant_id)) is not None:
        raise CaseWorkTextsErased(
            f"the participant's data was erased on {erased_on.isoformat()}: no new text is written about them"
        )
    return stay


async def _goal(participant_id: uuid.UUID, stay: Stay, goal_id: uuid.UUID, uow: OutcomesUnitOfWork) -> Goal:
    goal = await uow.plans.goal(participant_id, stay.number, goal_id)
    if goal is None:
        raise GoalMustBeKnown(f"stay {stay.number}'s plan has no goal {goal_id}")
    return goal
