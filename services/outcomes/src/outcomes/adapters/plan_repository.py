"""Development plans in outcomes' own database: goals and their milestones, per stay."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from outcomes.domain.plan import Aim, Goal, GoalStatus, Milestone, MilestoneStatus


class PlanRepository:
    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def goals_of(self, participant_id: uuid.UUID, stay: int) -> list[Goal]:
        """The stay's goals in the order they were set, each with its milestones by due date."""
        rows = await self._connection.fetch(
            "SELECT goal_id, aim, text, status FROM plan_goals WHERE participant_id = $1 AND stay = $2 "
            "ORDER BY created_at, goal_id",
            participant_id,
            stay,
        )
        goals = [_goal_from(row) for row in rows]
        milestones = await self._connection.fetch(
            "SELECT milestone_id, goal_id, text, due_on, status FROM plan_milestones "
            "WHERE goal_id = ANY($1::uuid[]) ORDER BY due_on, created_at, milestone_id",
            [goal.goal_id for goal in goals],
        )
        by_id = {goal.goal_id: goal for goal in goals}
        for row in milestones:
            by_id[row["goal_id"]].milestones.append(_milestone_from(row))
        return goals

    async def goal(self, participant_id: uuid.UUID, stay: int, goal_id: uuid.UUID) -> Goal | None:
        return next(
            (goal for goal in await self.goals_of(participant_id, stay) if goal.goal_id == goal_id), None
        )

    async def add_goal(self, participant_id: uuid.UUID, stay: int, goal: Goal, *, created_by: str) -> None:
        await self._connection.execute(
            "INSERT INTO plan_goals (goal_id, participant_id, stay, aim, text, status, created_by) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            goal.goal_id,
            participant_id,
            stay,
            goal.aim.value,
            goal.text,
            goal.status.value,
            created_by,
        )

    async def save_goal(self, goal: Goal) -> None:
        await self._connection.execute(
            "UPDATE plan_goals SET text = $2, status = $3, updated_at = now() WHERE goal_id = $1",
            goal.goal_id,
            goal.text,
            goal.status.value,
        )

    async def add_milestone(self, milestone: Milestone) -> None:
        await self._connection.execute(
            "INSERT INTO plan_milestones (milestone_id, goal_id, text, due_on, status) "
            "VALUES ($1, $2, $3, $4, $5)",
            milestone.milestone_id,
            milestone.goal_id,
            milestone.text,
            milestone.due_on,
            milestone.status.value,
        )

    async def save_milestone(self, milestone: Milestone) -> None:
        await self._connection.execute(
            "UPDATE plan_milestones SET text = $2, due_on = $3, status = $4, updated_at = now() "
            "WHERE milestone_id = $1",
            milestone.milestone_id,
            milestone.text,
            milestone.due_on,
            milestone.status.value,
        )


def _goal_from(row: Any) -> Goal:
    return Goal(
        goal_id=row["goal_id"], aim=Aim(row["aim"]), text=row["text"], status=GoalStatus(row["status"])
    )


def _milestone_from(row: Any) -> Milestone:
    return Milestone(
        milestone_id=row["milestone_id"],
        goal_id=row["goal_id"],
        text=row["text"],
        due_on=row["due_on"],
        status=MilestoneStatus(row["status"]),
    )
