"""Rules of attendance and the absence report; each names itself and, where there is one, the input."""

from __future__ import annotations

import uuid

from placement.domain.errors import PlacementRuleViolated
from werkstattnetz_shared.rules import RuleFailure


class AttendanceRuleViolated(PlacementRuleViolated):
    rule = "attendance_rule"


class WorkshopMustBeKnown(AttendanceRuleViolated):
    rule = "workshop_must_be_known"
    field = "workshop_id"


class MustLeadWorkshop(AttendanceRuleViolated):
    """A workshop lead keeps the attendance of the workshops they lead; managers of every workshop."""

    rule = "must_lead_workshop"
    field = "workshop_id"


class AttendanceDayNotInFuture(AttendanceRuleViolated):
    rule = "attendance_day_not_in_future"
    field = "day"


class WorkshopMustBeOpenOnDay(AttendanceRuleViolated):
    """Nobody attends on a day the workshop is closed (its opening days name the weekdays)."""

    rule = "workshop_must_be_open_on_day"
    field = "day"


class EntryRuleViolated(AttendanceRuleViolated):
    """A rule about one entry of a day's attendance; `field` points at that entry."""

    def __init__(self, message: str, *, index: int, field: str = "participant_id") -> None:
        super().__init__(message)
        self.field = f"entries.{index}.{field}"


class EachParticipantOnce(EntryRuleViolated):
    rule = "each_participant_once"


class ParticipantMustBePlacedInWorkshop(EntryRuleViolated):
    """Only who sits in the workshop on that day (per the placement spells) attends it."""

    rule = "participant_must_be_placed_in_workshop_on_day"


class PresentNeedsHours(EntryRuleViolated):
    rule = "present_needs_hours_present"

    def __init__(self, message: str, *, index: int) -> None:
        super().__init__(message, index=index, field="hours_present")


class AttendanceEntriesInvalid(AttendanceRuleViolated):
    """The entries were checked together; the answer names every entry and rule that failed."""

    rule = "attendance_entries_invalid"

    def __init__(self, violations: list[EntryRuleViolated]) -> None:
        super().__init__("; ".join(violation.message for violation in violations))
        self.violations = violations

    def failures(self) -> list[RuleFailure]:
        return [failure for violation in self.violations for failure in violation.failures()]


class AttendanceRecordedInAnotherWorkshop(AttendanceRuleViolated):
    """One entry per participant and day: on a transfer day, the workshop that recorded first keeps it."""

    rule = "attendance_recorded_in_another_workshop"

    def __init__(self, message: str, *, index: int, other_workshop_id: uuid.UUID) -> None:
        super().__init__(message)
        self.field = f"entries.{index}.participant_id"
        self.conflicting_id = other_workshop_id


class ReportMonthMustBePlausible(AttendanceRuleViolated):
    rule = "report_month_within_plausible_range"
    field = "month"
