"""A stay imported from a programme's history, as placement sees it.

An ended stay is history: it is kept as a spell of its work area and takes no seat of today's
workshops. A stay still running (no exit) is an enrolment like a live one: placed when a seat in
its work area is free, otherwise waitlisted by its enrolment day (see `open_stay_as_enrolment`).
Either way, the exit outcomes publishes for an ended imported stay is not news to placement.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from placement.domain.enrolment import Enrolment
from placement.domain.participant import Participant
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea


@dataclass(frozen=True)
class EndedHistoricalStay:
    participant_id: uuid.UUID
    enrolment_id: uuid.UUID
    work_area: WorkArea
    enrolled_on: dt.date
    placed_on: dt.date | None
    exit_date: dt.date


def open_stay_as_enrolment(
    participant_id: uuid.UUID,
    enrolment_id: uuid.UUID,
    work_area: WorkArea,
    funder: Funder,
    enrolled_on: dt.date,
    re_entry: bool,
) -> Enrolment:
    """The waitlist's fair order counts from the enrolment day (noon UTC: the spreadsheet knows no
    hour), so imported people wait ahead of everyone enrolled live after them."""
    return Enrolment(
        participant_id=participant_id,
        preferred_work_areas=(work_area,),
        funder=funder,
        enrolled_on=enrolled_on,
        enrolment_id=enrolment_id,
        re_entry=re_entry,
        enrolled_at=dt.datetime.combine(enrolled_on, dt.time(12), tzinfo=dt.UTC),
        funders=(funder,),
    )


def forget_exit_heard_early(known: Participant, exit_date: dt.date) -> bool:
    """An imported stay's exit (from outcomes) may overtake the stay itself (another topic):
    placement then noted it as the exit of a stay to come. It is no such thing; True if removed."""
    if exit_date not in known.exits_ahead:
        return False
    remaining = list(known.exits_ahead)
    remaining.remove(exit_date)
    known.exits_ahead = tuple(remaining)
    return True
