"""Small builders for placement's domain tests: areas with one workshop each, people waiting,
enrolments, in one line."""

from __future__ import annotations

import datetime as dt
import uuid

from placement.domain.area import Area, WorkshopSeats
from placement.domain.enrolment import Cause, Enrolment
from placement.domain.participant import Participant
from placement.domain.policy import PlacementPolicy
from placement.domain.waitlist import Waitlist
from placement.domain.workshop import Workshop
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea

ENROLLED_ON = dt.date(2026, 11, 23)
TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
ENROLLED_AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
VALID_FOR = dt.timedelta(hours=72)
POLICY = PlacementPolicy(offer_valid_for=VALID_FOR)

BIKE = WorkArea.BIKE_METAL
GARDEN = WorkArea.GARDEN_LANDSCAPE
BUILDING = WorkArea.BUILDING_SERVICES
CARE = WorkArea.CARE

# Each area's default workshop in these tests, under a fixed id.
WORKSHOP = {area: uuid.UUID(int=number) for number, area in enumerate(WorkArea, start=1)}


def enrolment(
    *areas: WorkArea,
    funder: Funder = Funder.JOBCENTER,
    participant_id: uuid.UUID | None = None,
    enrolled_on: dt.date = ENROLLED_ON,
    enrolment_id: uuid.UUID | None = None,
    enrolled_at: dt.datetime | None = None,
) -> Enrolment:
    """A first enrolment; with `participant_id`, a later stay of that person (a new enrolment id).
    Enrolled at 10:00 UTC of `enrolled_on` unless `enrolled_at` says otherwise."""
    return Enrolment(
        participant_id=participant_id or uuid.uuid4(),
        preferred_work_areas=areas,
        funder=funder,
        enrolled_on=enrolled_on,
        enrolment_id=enrolment_id or uuid.uuid4(),
        re_entry=participant_id is not None,
        enrolled_at=enrolled_at or dt.datetime.combine(enrolled_on, dt.time(10), tzinfo=dt.UTC),
    )


def cause() -> Cause:
    """The enrolment event a decision answers."""
    return Cause(event_id=uuid.uuid4(), correlation_id=uuid.uuid4())


def workshop(
    area: WorkArea, seats: int, name: str | None = None, workshop_id: uuid.UUID | None = None
) -> Workshop:
    return Workshop(workshop_id or WORKSHOP[area], area, name or f"{area.value} workshop", seats)


def area_of(area: WorkArea, seats: int = 14, placed: int = 0, *more: WorkshopSeats) -> Area:
    """One area with its default workshop (`seats`, `placed`), any `more` workshops, nobody waiting."""
    return Area(area, [WorkshopSeats(workshop(area, seats), placed), *more], Waitlist(area))


def areas(**seats_and_placed: tuple[int, int]) -> dict[WorkArea, Area]:
    """`areas(care=(1, 0))`: every area named by its value; unnamed areas have 14 free seats."""
    result = {area: area_of(area) for area in WorkArea}
    for name, (seats, placed) in seats_and_placed.items():
        result[WorkArea(name)] = area_of(WorkArea(name), seats, placed)
    return result


def waiting_in(area: Area, count: int, *, since: dt.datetime = ENROLLED_AT) -> list[Participant]:
    """`count` people waiting for the area, enrolled a minute apart from `since`, in that order."""
    people = []
    for minute in range(count):
        enrolled_at = since + dt.timedelta(minutes=minute)
        person = Participant.waiting_after_enrolment(
            enrolment(area.work_area, enrolled_at=enrolled_at), since=enrolled_at
        )
        area.waitlist.join(person)
        people.append(person)
    return people


def placed_in(area: Area, workshop_id: uuid.UUID | None = None) -> Participant:
    """Someone sitting in the area's (default) workshop; the seat is taken for them."""
    workshop_id = workshop_id or WORKSHOP[area.work_area]
    area.take_seat(workshop_id, NOW)
    return Participant.placed_on_enrolment(enrolment(area.work_area), area.work_area, workshop_id)
