"""Small builders for placement's domain tests: workshops, waitlists and enrolments in one line."""

from __future__ import annotations

import datetime as dt
import uuid

from placement.domain.enrolment import Cause, Enrolment
from placement.domain.participant import Participant
from placement.domain.workshop import Waitlist, Workshop
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

ENROLLED_ON = dt.date(2026, 11, 23)
TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)

BIKE = WorkArea.BIKE_METAL
GARDEN = WorkArea.GARDEN_LANDSCAPE
BUILDING = WorkArea.BUILDING_SERVICES
CARE = WorkArea.CARE


def enrolment(
    *areas: WorkArea,
    funder: Funder = Funder.JOBCENTER,
    participant_id: uuid.UUID | None = None,
    enrolled_on: dt.date = ENROLLED_ON,
    enrolment_id: uuid.UUID | None = None,
) -> Enrolment:
    """A first enrolment; with `participant_id`, a later stay of that person (a new enrolment id)."""
    return Enrolment(
        participant_id=participant_id or uuid.uuid4(),
        preferred_work_areas=areas,
        funder=funder,
        enrolled_on=enrolled_on,
        enrolment_id=enrolment_id or uuid.uuid4(),
        re_entry=participant_id is not None,
    )


def cause() -> Cause:
    """The enrolment event a decision answers."""
    return Cause(event_id=uuid.uuid4(), correlation_id=uuid.uuid4())


def waitlists(*lists: Waitlist) -> dict[WorkArea, Waitlist]:
    """The given waitlists by area; every other area's is empty."""
    result = {area: Waitlist(area) for area in WorkArea}
    result.update({waitlist.work_area: waitlist for waitlist in lists})
    return result


def workshops(**capacity_and_occupied: tuple[int, int]) -> dict[WorkArea, Workshop]:
    """`workshops(care=(1, 0))`: every area named by its value; unnamed areas are empty with 14 seats."""
    result = {area: Workshop(area, capacity=14) for area in WorkArea}
    for name, (capacity, occupied) in capacity_and_occupied.items():
        result[WorkArea(name)] = Workshop(WorkArea(name), capacity=capacity, occupied=occupied)
    return result


def waiting(area: WorkArea, count: int) -> Waitlist:
    """A waitlist of `count` people who enrolled earlier, in the order they joined."""
    waitlist = Waitlist(area)
    for minute in range(count):
        waitlist.join(
            Participant.waiting_after_enrolment(
                enrolment(area), since=NOW - dt.timedelta(minutes=60 - minute)
            )
        )
    return waitlist
