"""A caseworker's progress note on a participant's stay, optionally about one goal of its plan.

The text is free text about the young person: it stays in outcomes' database and is deleted when
their data is erased.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from outcomes.domain.plan_errors import NoteDateWithinStay


@dataclass(frozen=True)
class ProgressNote:
    note_id: uuid.UUID
    stay: int
    goal_id: uuid.UUID | None
    text: str
    written_on: dt.date
    author: str

    @classmethod
    def written(
        cls,
        *,
        stay: int,
        goal_id: uuid.UUID | None,
        text: str,
        written_on: dt.date,
        author: str,
        enrolled_on: dt.date,
        today: dt.date,
    ) -> ProgressNote:
        """A note is dated within its stay: not before the enrolment, not after today."""
        if not enrolled_on <= written_on <= today:
            raise NoteDateWithinStay(
                f"a note written on {written_on.isoformat()} must be dated between the enrolment on "
                f"{enrolled_on.isoformat()} and today ({today.isoformat()})"
            )
        return cls(uuid.uuid4(), stay, goal_id, text, written_on, author)
