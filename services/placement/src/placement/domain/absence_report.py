"""The monthly absence report per funder, in the Jobcenter's codes E (excused), UE (unexcused), K (sick).

Who is counted: every participant whose current stay's funders include the funder (so a co-funded
person appears in each funder's report) and who was placed in a workshop on at least one day of
the month.

Which days count: the days of the month on which the participant was placed, per the placement
spells (first and last day of a spell included). On them every recorded absence is listed with its
code. `days_placed` counts those days that are opening days of the workshop, up to today: the days
attendance could have been recorded on; `days_recorded` and `days_present` count the entries. An
entry on a day no spell covers any more (a spell corrected afterwards) is left out.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from placement.domain.attendance import AttendanceStatus
from placement.domain.attendance_errors import ReportMonthMustBePlausible
from werkstattnetz_shared.events.vocabulary import Funder

EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
_MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")


class AbsenceCode(StrEnum):
    E = "E"
    UE = "UE"
    K = "K"


CODE_OF_STATUS = {
    AttendanceStatus.EXCUSED: AbsenceCode.E,
    AttendanceStatus.UNEXCUSED: AbsenceCode.UE,
    AttendanceStatus.SICK: AbsenceCode.K,
}


@dataclass(frozen=True)
class ReportMonth:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> ReportMonth:
        """`YYYY-MM` between 1990-01 and 2100-12."""
        matched = _MONTH.match(text)
        if matched is None or not EARLIEST_YEAR <= int(matched[1]) <= LATEST_YEAR:
            raise ReportMonthMustBePlausible(
                f"the month must be written YYYY-MM and lie between {EARLIEST_YEAR}-01 and "
                f"{LATEST_YEAR}-12, not '{text}'"
            )
        return cls(int(matched[1]), int(matched[2]))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def days(self) -> list[dt.date]:
        return [self.first_day + dt.timedelta(days=n) for n in range(self.last_day.day)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class PlacedSpell:
    participant_id: uuid.UUID
    placed_on: dt.date
    ended_on: dt.date | None
    opening_days: frozenset[int]

    def covers(self, day: dt.date) -> bool:
        return self.placed_on <= day and (self.ended_on is None or day <= self.ended_on)


@dataclass(frozen=True)
class RecordedDay:
    participant_id: uuid.UUID
    day: dt.date
    status: AttendanceStatus
    hours_present: Decimal


@dataclass(frozen=True)
class Absence:
    day: dt.date
    code: AbsenceCode


@dataclass
class ParticipantAbsences:
    participant_id: uuid.UUID
    days_placed: int = 0
    days_recorded: int = 0
    days_present: int = 0
    hours_present: Decimal = Decimal(0)
    absences: list[Absence] = field(default_factory=list)

    @property
    def totals(self) -> dict[AbsenceCode, int]:
        return {code: sum(1 for a in self.absences if a.code is code) for code in AbsenceCode}


@dataclass(frozen=True)
class AbsenceReport:
    month: ReportMonth
    funder: Funder
    participants: list[ParticipantAbsences]

    @property
    def totals(self) -> dict[AbsenceCode, int]:
        return {code: sum(p.totals[code] for p in self.participants) for code in AbsenceCode}

    @property
    def days_placed(self) -> int:
        return sum(p.days_placed for p in self.participants)

    @property
    def days_recorded(self) -> int:
        return sum(p.days_recorded for p in self.participants)

    @property
    def days_present(self) -> int:
        return sum(p.days_present for p in self.participants)


def absence_report(
    month: ReportMonth,
    funder: Funder,
    spells: Iterable[PlacedSpell],
    records: Iterable[RecordedDay],
    today: dt.date,
) -> AbsenceReport:
    """`spells`: the funder's participants' spells that overlap the month; `records`: their entries
    in the month. Participants come in the order of their ids, absences in day order."""
    placed: dict[uuid.UUID, dict[dt.date, frozenset[int]]] = {}
    for spell in spells:
        days = placed.setdefault(spell.participant_id, {})
        for day in month.days:
            if spell.covers(day):
                days[day] = days.get(day, frozenset()) | spell.opening_days
    lines = {
        participant: ParticipantAbsences(participant_id=participant, days_placed=_open_days(days, today))
        for participant, days in placed.items()
        if days
    }
    for record in sorted(records, key=lambda record: record.day):
        line = lines.get(record.participant_id)
        if line is None or record.day not in placed[record.participant_id]:
            continue
        _count(line, record)
    return AbsenceReport(month=month, funder=funder, participants=_in_id_order(lines.values()))


def _count(line: ParticipantAbsences, record: RecordedDay) -> None:
    line.days_recorded += 1
    line.hours_present += record.hours_present
    if record.status is AttendanceStatus.PRESENT:
        line.days_present += 1
    else:
        line.absences.append(Absence(day=record.day, code=CODE_OF_STATUS[record.status]))


def _open_days(placed: dict[dt.date, frozenset[int]], today: dt.date) -> int:
    return sum(1 for day, opening_days in placed.items() if day <= today and day.isoweekday() in opening_days)


def _in_id_order(lines: Iterable[ParticipantAbsences]) -> list[ParticipantAbsences]:
    return sorted(lines, key=lambda line: str(line.participant_id))
