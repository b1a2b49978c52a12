"""HTTP routes of development plans and progress notes: request → command → use case → response."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse

from outcomes.application import plan_handlers
from outcomes.domain.plan import Goal, Milestone
from outcomes.domain.progress_note import ProgressNote
from outcomes.entrypoints.plan_http import (
    CaseStaff,
    StayNumber,
    UnitOfWork,
    change,
    create_once,
    read,
    today_of,
)
from outcomes.entrypoints.plan_schemas import (
    GoalChange,
    GoalRequest,
    GoalView,
    MilestoneChange,
    MilestoneRequest,
    MilestoneView,
    NoteRequest,
    NotesPageView,
    NoteView,
    PlanView,
)
from werkstattnetz_shared.web.dependencies import PageLimit, PageOffset
from werkstattnetz_shared.web.errors import error_responses
from werkstattnetz_shared.web.idempotency import IdempotencyKey

router = APIRouter(
    prefix="/v1/participants/{participant_id}/plan",
    tags=["case work"],
    responses=error_responses(401, 403, 404, 422, 503),
)


@router.get("", response_model=PlanView)
async def view_plan(
    participant_id: uuid.UUID, staff: CaseStaff, uow: UnitOfWork, stay: StayNumber = None
) -> PlanView:
    plan = await read(plan_handlers.view_plan(participant_id, stay, uow))
    return PlanView(
        participant_id=participant_id,
        stay=plan.stay.number,
        stay_open=plan.stay.is_open,
        erased_on=plan.erased_on,
        goals=[_goal_view(participant_id, plan.stay.number, goal) for goal in plan.goals],
        latest_notes=[_note_view(participant_id, note) for note in plan.latest_notes],
        notes_total=plan.notes_total,
    )


@router.post(
    "/goals", status_code=status.HTTP_201_CREATED, response_model=GoalView, responses=error_responses(409)
)
async def add_goal(
    participant_id: uuid.UUID,
    body: GoalRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> GoalView | JSONResponse:
    command = plan_handlers.AddGoal(participant_id, body.aim, body.text, body.status, staff.subject)

    async def add() -> GoalView:
        goal, stay = await plan_handlers.add_goal(command, uow=uow)
        return _goal_view(participant_id, stay, goal)

    return await create_once(uow, request, staff, idempotency_key, body, add)


@router.patch("/goals/{goal_id}", response_model=GoalView, responses=error_responses(409))
async def change_goal(
    participant_id: uuid.UUID, goal_id: uuid.UUID, body: GoalChange, staff: CaseStaff, uow: UnitOfWork
) -> GoalView:
    command = plan_handlers.ChangeGoal(participant_id, goal_id, body.text, body.status)

    async def change_it() -> GoalView:
        goal, stay = await plan_handlers.change_goal(command, uow=uow)
        return _goal_view(participant_id, stay, goal)

    return await change(uow, change_it)


@router.post(
    "/goals/{goal_id}/milestones",
    status_code=status.HTTP_201_CREATED,
    response_model=MilestoneView,
    responses=error_responses(409),
)
async def add_milestone(
    participant_id: uuid.UUID,
    goal_id: uuid.UUID,
    body: MilestoneRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> MilestoneView | JSONResponse:
    command = plan_handlers.AddMilestone(participant_id, goal_id, body.text, body.due_on)

    async def add() -> MilestoneView:
        return _milestone_view(participant_id, await plan_handlers.add_milestone(command, uow=uow))

    return await create_once(uow, request, staff, idempotency_key, body, add)


@router.patch(
    "/goals/{goal_id}/milestones/{milestone_id}", response_model=MilestoneView, responses=error_responses(409)
)
async def change_milestone(
    participant_id: uuid.UUID,
    goal_id: uuid.UUID,
    milestone_id: uuid.UUID,
    body: MilestoneChange,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
) -> MilestoneView:
    command = plan_handlers.ChangeMilestone(
        participant_id, goal_id, milestone_id, body.text, body.due_on, body.status, today_of(request)
    )

    async def change_it() -> MilestoneView:
        return _milestone_view(participant_id, await plan_handlers.change_milestone(command, uow=uow))

    return await change(uow, change_it)


@router.post(
    "/notes", status_code=status.HTTP_201_CREATED, response_model=NoteView, responses=error_responses(409)
)
async def add_note(
    participant_id: uuid.UUID,
    body: NoteRequest,
    request: Request,
    staff: CaseStaff,
    uow: UnitOfWork,
    idempotency_key: IdempotencyKey = None,
) -> NoteView | JSONResponse:
    today = today_of(request)
    command = plan_handlers.AddNote(
        participant_id, body.goal_id, body.text, body.written_on or today, today, staff.subject
    )

    async def add() -> NoteView:
        return _note_view(participant_id, await plan_handlers.add_note(command, uow=uow))

    return await create_once(uow, request, staff, idempotency_key, body, add)


@router.get("/notes", response_model=NotesPageView)
async def list_notes(
    participant_id: uuid.UUID,
    staff: CaseStaff,
    uow: UnitOfWork,
    stay: StayNumber = None,
    goal_id: Annotated[uuid.UUID | None, Query(description="Only the notes about this goal.")] = None,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> NotesPageView:
    page = await read(
        plan_handlers.list_notes(participant_id, stay, goal_id, limit=limit, offset=offset, uow=uow)
    )
    return NotesPageView(
        participant_id=participant_id,
        stay=page.stay,
        notes=[_note_view(participant_id, note) for note in page.notes],
        total=page.total,
        limit=limit,
        offset=offset,
    )


def _goal_view(participant_id: uuid.UUID, stay: int, goal: Goal) -> GoalView:
    return GoalView(
        participant_id=participant_id,
        stay=stay,
        goal_id=goal.goal_id,
        aim=goal.aim,
        text=goal.text,
        status=goal.status,
        milestones=[_milestone_view(participant_id, milestone) for milestone in goal.milestones],
    )


def _milestone_view(participant_id: uuid.UUID, milestone: Milestone) -> MilestoneView:
    return MilestoneView(
        participant_id=participant_id,
        goal_id=milestone.goal_id,
        milestone_id=milestone.milestone_id,
        text=milestone.text,
        due_on=milestone.due_on,
        status=milestone.status,
    )


def _note_view(participant_id: uuid.UUID, note: ProgressNote) -> NoteView:
    return NoteView(
        participant_id=participant_id,
        stay=note.stay,
        note_id=note.note_id,
        goal_id=note.goal_id,
        text=note.text,
        written_on=note.written_on,
        author=note.author,
    )
