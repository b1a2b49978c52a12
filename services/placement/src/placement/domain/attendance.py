"""A workshop's attendance per participant and day: who may record it, which entries are valid, and
what a recording changes (new entries, corrections that keep the earlier version, nothing at all).

Rules chosen:
- One entry per participant and day. On a transfer day a participant may sit in two workshops'
  spells; the workshop that records first keeps the day, the other gets a conflict.
- A day may be recorded up to today (the programme's time zone), on the workshop's opening days.
- `present` needs hours present above zero; an absence may carry the hours someone was there
  before leaving (sick after two hours: `sick`, 2).
- Sending an entry that equals the current one changes nothing, so a repeated bulk entry is a no-op.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from placement.domain.attendance_errors import (
    AttendanceDayNotInFuture,
    AttendanceEntriesInvalid,
    AttendanceRecordedInAnotherWorkshop,
    EachParticipantOnce,
    EntryRuleViolated,
    MustLeadWorkshop,
    ParticipantMustBePlacedInWorkshop,
    PresentNeedsHours,
    WorkshopMustBeOpenOnDay,
)
from werkstattnetz_shared.events.vocabulary import WorkArea


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    SICK = "sick"
    UNEXCUSED = "unexcused"


@dataclass(frozen=True)
class AttendanceWorkshop:
    """What attendance needs to know of a workshop."""

    workshop_id: uuid.UUID
    work_area: WorkArea
    lead_instructor: str | None
    opening_days: frozenset[int]
    """ISO weekdays the workshop is open (1 = Monday … 7 = Sunday)."""

    def is_open_on(self, day: dt.date) -> bool:
        return day.isoweekday() in self.opening_days


@dataclass(frozen=True)
class Recorder:
    """Who keeps attendance: a lead for the workshops they lead, a manager (or admin) for all."""

    subject: str
    for_every_workshop: bool

    def may_keep_attendance_of(self, workshop: AttendanceWorkshop) -> bool:
        return self.for_every_workshop or (
            workshop.lead_instructor is not None and workshop.lead_instructor == self.subject
        )


@dataclass(frozen=True)
class AttendanceEntry:
    """What a workshop lead sends for one participant and day."""

    participant_id: uuid.UUID
    status: AttendanceStatus
    hours_present: Decimal = Decimal(0)


@dataclass(frozen=True)
class AttendanceRecord:
    """One participant's attendance on one day, as kept; `version` counts the corrections."""

    participant_id: uuid.UUID
    day: dt.date
    workshop_id: uuid.UUID
    status: AttendanceStatus
    hours_present: Decimal
    version: int
    recorded_by: str
    recorded_at: dt.datetime

    def says(self, entry: AttendanceEntry) -> bool:
        return self.status is entry.status and self.hours_present == entry.hours_present


@dataclass(frozen=True)
class Correction:
    earlier: AttendanceRecord
    now: AttendanceRecord


@dataclass(frozen=True)
class AttendanceChanges:
    new: list[AttendanceRecord] = field(default_factory=list)
    corrected: list[Correction] = field(default_factory=list)

    @property
    def written(self) -> list[AttendanceRecord]:
        return [*self.new, *(correction.now for correction in self.corrected)]


def check_may_keep_attendance(recorder: Recorder, workshop: AttendanceWorkshop) -> None:
    if not recorder.may_keep_attendance_of(workshop):
        raise MustLeadWorkshop(
            f"only the lead of workshop {workshop.workshop_id} or a manager keeps its attendance"
        )


def check_day_may_be_recorded(workshop: AttendanceWorkshop, day: dt.date, today: dt.date) -> None:
    if day > today:
        raise AttendanceDayNotInFuture(
            f"attendance is recorded once the day has come: {day.isoformat()} is after today "
            f"({today.isoformat()})"
        )
    if not workshop.is_open_on(day):
        raise WorkshopMustBeOpenOnDay(
            f"workshop {workshop.workshop_id} is closed on {day.strftime('%A')}s ({day.isoformat()})"
        )


def check_entries(
    entries: Sequence[AttendanceEntry], placed: Collection[uuid.UUID], workshop_id: uuid.UUID, day: dt.date
) -> None:
    """Every rule about the entries at once; raises `AttendanceEntriesInvalid` naming each failure."""
    failures: list[EntryRuleViolated] = []
    seen: set[uuid.UUID] = set()
    for index, entry in enumerate(entries):
        participant = entry.participant_id
        if participant in seen:
            failures.append(
                EachParticipantOnce(f"participant {participant} is named more than once", index=index)
            )
        seen.add(participant)
        if participant not in placed:
            failures.append(
                ParticipantMustBePlacedInWorkshop(
                    f"participant {participant} is not placed in workshop {workshop_id} on {day.isoformat()}",
                    index=index,
                )
            )
        if entry.status is AttendanceStatus.PRESENT and entry.hours_present <= 0:
            failures.append(
                PresentNeedsHours(
                    f"participant {participant} is present, so hours_present must be above 0", index=index
                )
            )
    if failures:
        raise AttendanceEntriesInvalid(failures)


def apply_entries(
    workshop: AttendanceWorkshop,
    day: dt.date,
    entries: Sequence[AttendanceEntry],
    existing: Mapping[uuid.UUID, AttendanceRecord],
    *,
    recorded_by: str,
    now: dt.datetime,
) -> AttendanceChanges:
    """What recording `entries` changes, given the participants' current records of that day."""
    changes = AttendanceChanges()
    for index, entry in enumerate(entries):
        earlier = existing.get(entry.participant_id)
        if earlier is not None and earlier.workshop_id != workshop.workshop_id:
            raise AttendanceRecordedInAnotherWorkshop(
                f"the attendance of participant {entry.participant_id} on {day.isoformat()} is kept "
                f"by workshop {earlier.workshop_id}",
                index=index,
                other_workshop_id=earlier.workshop_id,
            )
        if earlier is None:
            changes.new.append(
                AttendanceRecord(
                    participant_id=entry.participant_id,
                    day=day,
                    workshop_id=workshop.workshop_id,
                    status=entry.status,
                    hours_present=entry.hours_present,
                    version=1,
                    recorded_by=recorded_by,
                    recorded_at=now,
                )
            )
        elif not earlier.says(entry):
            corrected = replace(
                earlier,
                status=entry.status,
                hours_present=entry.hours_present,
                version=earlier.version + 1,
                recorded_by=recorded_by,
                recorded_at=now,
            )
            changes.corrected.append(Correction(earlier=earlier, now=corrected))
    return changes
