"""A stay imported from a programme's history, as outcomes records it.

Its enrolment becomes a stay like any other; where the spreadsheet says the person was placed, the
stay's work area is filled in from it (placement takes no seat for an ended stay, so no placement
news of it will come); its exit is recorded with its own date, counts in the reports and is
published like a live exit, so funders' consumers see the history too.

Follow-ups: an imported exit gets its six-month follow-up only if that falls due after the import
(the exit lies within the last six months). Older exits get none: nobody can ask now where a
person stood years ago, and thousands of overdue follow-ups would bury the ones caseworkers can
still do. Their retention is simply not known, as for any exit without a recorded follow-up.
"""

from __future__ import annotations

import datetime as dt

from outcomes.domain.follow_up import FollowUp
from outcomes.domain.participant import ParticipantRecord
from outcomes.domain.stay import Enrolment


def has_stay(record: ParticipantRecord, enrolment: Enrolment) -> bool:
    return any(stay.enrolment.enrolment_id == enrolment.enrolment_id for stay in record.stays)


def follow_up_still_ahead(follow_up: FollowUp, today: dt.date) -> bool:
    return follow_up.due_on > today


def noon_of(day: dt.date) -> dt.datetime:
    """A spreadsheet knows days, not moments; noon UTC orders a day's news within it."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
