"""A stay's development plan: goals along the programme's three aims, each with milestones.

The plan belongs to one stay (a participant who comes back starts a new plan); it is changed only
while the stay is open. Texts are free text a caseworker writes about the young person: they stay
in outcomes' database, never reach an event or a report, and are erased with the person's data
(`text` None then), while aims, statuses and dates stay for anonymous counts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from outcomes.domain.plan_errors import (
    DueDateWithinStayHorizon,
    GoalMustBeActive,
    GoalStatusTransitionAllowed,
    MilestoneMissedOnlyAfterDueDate,
    MilestoneStatusTransitionAllowed,
)

MILESTONE_HORIZON_DAYS = 3 * 366
"""How far after the enrolment a milestone may be due: stays last months, rarely two years."""


class Aim(StrEnum):
    """The programme's three aims (DOMAIN.md)."""

    MOTIVATION = "motivation"
    """Motivation, self-esteem, responsibility: showing up, taking on tasks, working in a group."""
    ORIENTATION = "orientation"
    """Finding out own strengths and deficits; trying other work areas."""
    PLACEMENT = "placement"
    """Entering a suitable next step: apprenticeship, work, therapy, school, another measure."""


class GoalStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class MilestoneStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    MISSED = "missed"


# Achieved and dropped are final: a goal taken up again is a new goal, so counts of achieved goals
# never change behind a report's back. Work that started may pause (back to open).
_GOAL_TRANSITIONS: dict[GoalStatus, frozenset[GoalStatus]] = {
    GoalStatus.OPEN: frozenset({GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED, GoalStatus.DROPPED}),
    GoalStatus.IN_PROGRESS: frozenset({GoalStatus.OPEN, GoalStatus.ACHIEVED, GoalStatus.DROPPED}),
    GoalStatus.ACHIEVED: frozenset(),
    GoalStatus.DROPPED: frozenset(),
}
# A milestone marked missed may still be done late (that is what happened); done is final.
_MILESTONE_TRANSITIONS: dict[MilestoneStatus, frozenset[MilestoneStatus]] = {
    MilestoneStatus.OPEN: frozenset({MilestoneStatus.DONE, MilestoneStatus.MISSED}),
    MilestoneStatus.MISSED: frozenset({MilestoneStatus.DONE}),
    MilestoneStatus.DONE: frozenset(),
}


@dataclass
class Milestone:
    milestone_id: uuid.UUID
    goal_id: uuid.UUID
    text: str | None
    due_on: dt.date
    status: MilestoneStatus = MilestoneStatus.OPEN

    def change_status(self, status: MilestoneStatus, today: dt.date) -> None:
        """The same status again changes nothing (a PATCH may be repeated)."""
        if status == self.status:
            return
        if status not in _MILESTONE_TRANSITIONS[self.status]:
            raise MilestoneStatusTransitionAllowed(
                f"a milestone that is {self.status.value} cannot become {status.value}"
            )
        if status is MilestoneStatus.MISSED and today <= self.due_on:
            raise MilestoneMissedOnlyAfterDueDate(
                f"the milestone is due on {self.due_on.isoformat()}: it can be missed only after that day"
            )
        self.status = status

    def reschedule(self, due_on: dt.date, enrolled_on: dt.date) -> None:
        check_due_on(due_on, enrolled_on)
        self.due_on = due_on


@dataclass
class Goal:
    goal_id: uuid.UUID
    aim: Aim
    text: str | None
    status: GoalStatus = GoalStatus.OPEN
    milestones: list[Milestone] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        return self.status in (GoalStatus.OPEN, GoalStatus.IN_PROGRESS)

    def change_status(self, status: GoalStatus) -> None:
        if status == self.status:
            return
        if status not in _GOAL_TRANSITIONS[self.status]:
            raise GoalStatusTransitionAllowed(
                f"a goal that is {self.status.value} cannot become {status.value}"
                + ("; add a new goal instead" if not self.is_active else "")
            )
        self.status = status

    def add_milestone(self, text: str, due_on: dt.date, enrolled_on: dt.date) -> Milestone:
        if not self.is_active:
            raise GoalMustBeActive(f"the goal is {self.status.value}: milestones go to open goals only")
        check_due_on(due_on, enrolled_on)
        milestone = Milestone(milestone_id=uuid.uuid4(), goal_id=self.goal_id, text=text, due_on=due_on)
        self.milestones.append(milestone)
        return milestone


def check_due_on(due_on: dt.date, enrolled_on: dt.date) -> None:
    """A due date lies within the stay's horizon: not before the enrolment, nor years after it."""
    latest = enrolled_on + dt.timedelta(days=MILESTONE_HORIZON_DAYS)
    if not enrolled_on <= due_on <= latest:
        raise DueDateWithinStayHorizon(
            f"the due date {due_on.isoformat()} must lie between the enrolment on "
            f"{enrolled_on.isoformat()} and {latest.isoformat()}"
        )
