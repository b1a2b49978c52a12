"""Unexcused absences "in a row", and when a run of them is reported.

A run is a maximal sequence of one participant's recorded attendance days, in day order, that are
all `unexcused`. Days without an entry (weekends, closed days, days not recorded yet) do not break
it; an entry of any other status does. A transfer does not reset it: the days are the person's.

A run is reported once, when it first reaches the threshold; its days are then remembered as
reported. A run that shares a day with a reported one is that run again:
- it grows (a fourth day, a fifth …): nothing new is reported;
- a correction that breaks it does not unsay it, and the parts left over are not reported again;
- a correction that fills a gap or joins two short runs completes a new run: reported, once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from placement.domain.attendance import AttendanceStatus
from werkstattnetz_shared.events.vocabulary import WorkArea

DEFAULT_ABSENCE_THRESHOLD = 3


@dataclass(frozen=True)
class DayRecorded:
    """One entry of the participant's attendance, as far as runs care."""

    day: dt.date
    status: AttendanceStatus
    workshop_id: uuid.UUID
    work_area: WorkArea


@dataclass(frozen=True)
class UnexcusedStreak:
    participant_id: uuid.UUID
    days: tuple[dt.date, ...]
    workshop_id: uuid.UUID
    """Where the run's last day was recorded."""
    work_area: WorkArea
    threshold: int

    @property
    def started_on(self) -> dt.date:
        return self.days[0]

    @property
    def ended_on(self) -> dt.date:
        return self.days[-1]

    @property
    def length(self) -> int:
        return len(self.days)

    def is_new(self, reported_days: Collection[dt.date]) -> bool:
        """Not the continuation or a leftover of a run already reported."""
        return not any(day in reported_days for day in self.days)


def streak_through(
    participant_id: uuid.UUID, day: dt.date, records: Sequence[DayRecorded], threshold: int
) -> UnexcusedStreak | None:
    """The run of unexcused days through `day` if it has reached `threshold`, else None.

    `records` must hold the participant's entries around `day` at least up to the nearest entry of
    another status on each side (or all of them); their order does not matter.
    """
    ordered = sorted(records, key=lambda record: record.day)
    position = next((i for i, record in enumerate(ordered) if record.day == day), None)
    if position is None or ordered[position].status is not AttendanceStatus.UNEXCUSED:
        return None
    first = last = position
    while first > 0 and ordered[first - 1].status is AttendanceStatus.UNEXCUSED:
        first -= 1
    while last + 1 < len(ordered) and ordered[last + 1].status is AttendanceStatus.UNEXCUSED:
        last += 1
    run = ordered[first : last + 1]
    if len(run) < threshold:
        return None
    return UnexcusedStreak(
        participant_id=participant_id,
        days=tuple(record.day for record in run),
        workshop_id=run[-1].workshop_id,
        work_area=run[-1].work_area,
        threshold=threshold,
    )
