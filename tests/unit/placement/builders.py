"""Small builders for placement's domain tests: workshops, waitlists and enrolments in one line."""

from __future__ import annotations

import datetime as dt
import uuid

from placement.domain.participant import Enrolment, Participant
from placement.domain.workshop import Waitlist, Workshop
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

ENROLLED_ON = dt.date(2026, 11, 23)
TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)

BIKE = WorkArea.BIKE_METAL
GARDEN = WorkArea.GARDEN_LANDSCAPE
BUILDING = WorkArea.BUILDING_SERVICES
CARE = WorkArea.CARE


def enrolment(*areas: WorkArea, funder: Funder = Funder.JOBCENTER) -> Enrolment:
    return Enrolment(
        participant_id=uuid.uuid4(),
        preferred_work_areas=areas,
        funder=funder,
        enrolled_on=ENROLLED_ON,
    )


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
