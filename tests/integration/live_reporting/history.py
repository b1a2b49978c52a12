"""A realistic run of the programme as events, and the figures it must give, counted independently.

The run is simulated person by person (referral, enrolment with funders, placement on enrolment or
from the waitlist, transfers, exit with destination, six-month follow-up, sometimes a second stay);
`expected_figures` counts from that simulation — not from the events and not with the worker's
code — so the comparison checks the worker's rules against a second, plain reading of them.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from werkstattnetz_shared.events import (
    EventData,
    EventEnvelope,
    FollowUpRecorded,
    FundingShare,
    IntegrationAchieved,
    ParticipantEnrolled,
    ParticipantExited,
    ParticipantPlaced,
    ParticipantWaitlisted,
    PlacementEnded,
    ReferralReceived,
)
from werkstattnetz_shared.events.vocabulary import (
    AgeBand,
    Destination,
    FollowUpSituation,
    Funder,
    LegalBasis,
    PlacementEndReason,
    PlacementKind,
    ReferralSource,
    WorkArea,
)
from werkstattnetz_shared.messaging.topics import INTAKE_EVENTS, OUTCOMES_EVENTS, PLACEMENT_EVENTS

AREAS = list(WorkArea)
INTEGRATED = {Destination.APPRENTICESHIP, Destination.EMPLOYMENT, Destination.THERAPY}
JOBCENTER = {Destination.APPRENTICESHIP, Destination.EMPLOYMENT}
DESTINATIONS = [
    (Destination.APPRENTICESHIP, 30),
    (Destination.EMPLOYMENT, 20),
    (Destination.THERAPY, 10),
    (Destination.SCHOOL, 10),
    (Destination.OTHER_MEASURE, 10),
    (Destination.DROPOUT, 15),
    (Destination.UNKNOWN, 5),
]
FUNDINGS: list[tuple[tuple[Funder, ...], int]] = [
    ((Funder.JOBCENTER,), 55),
    ((Funder.CITY,), 15),
    ((Funder.YOUTH_OFFICE,), 15),
    ((Funder.JOBCENTER, Funder.CITY), 15),
]
SITUATIONS = ["still_in_training", "still_employed", "changed", "unknown"]


@dataclass
class SimulatedStay:
    enrolled_on: dt.date
    first_area: WorkArea
    funders: tuple[Funder, ...]
    placements: list[tuple[dt.date, WorkArea]] = field(default_factory=list)
    waiting_since: dt.date | None = None
    exit_date: dt.date | None = None
    destination: Destination | None = None
    situation: str | None = None


@dataclass
class Published:
    topic: str
    envelope: EventEnvelope


@dataclass
class History:
    referrals: list[tuple[dt.date, WorkArea]] = field(default_factory=list)
    stays: list[SimulatedStay] = field(default_factory=list)
    events: list[Published] = field(default_factory=list)


def simulate(people: int, seed: int = 7) -> History:
    rng = random.Random(seed)
    history = History()
    for _ in range(people):
        participant_id = uuid.UUID(int=rng.getrandbits(128))
        day = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randrange(3 * 365))
        _person(rng, history, participant_id, day, stays_left=2)
    return history


def _person(rng: random.Random, history: History, pid: uuid.UUID, day: dt.date, stays_left: int) -> None:
    clock = _Clock(day)
    areas = rng.sample(AREAS, k=rng.randint(1, 3))
    emit = _emitter(history, pid, clock)
    emit(
        INTAKE_EVENTS,
        ReferralReceived(
            referral_source=ReferralSource.JOBCENTER,
            received_on=day,
            age_band=AgeBand.AGE_18_20,
            preferred_work_areas=areas,
            re_entry=stays_left < 2,
        ),
        on=day,
    )
    history.referrals.append((day, areas[0]))
    if rng.random() < 0.15:
        return  # rejected or withdrawn: only referred
    enrolled_on = day + dt.timedelta(days=rng.randrange(21))
    funders = rng.choices([f for f, _ in FUNDINGS], weights=[w for _, w in FUNDINGS])[0]
    shares = [
        FundingShare(funder=f, legal_basis=LegalBasis.OTHER, share_percent=100 // len(funders))
        for f in funders
    ]
    if len(shares) == 2:
        shares[0] = FundingShare(funder=funders[0], legal_basis=LegalBasis.OTHER, share_percent=60)
        shares[1] = FundingShare(funder=funders[1], legal_basis=LegalBasis.OTHER, share_percent=40)
    enrolment = emit(
        INTAKE_EVENTS,
        ParticipantEnrolled(
            age_band=AgeBand.AGE_18_20,
            referral_source=ReferralSource.JOBCENTER,
            funder=funders[0],
            preferred_work_areas=areas,
            enrolled_on=enrolled_on,
            enrolment_id=uuid.uuid4(),
            re_entry=stays_left < 2,
            funding=shares,
        ),
        on=enrolled_on,
    )
    stay = SimulatedStay(enrolled_on, areas[0], funders)
    history.stays.append(stay)
    area = areas[0]
    if rng.random() < 0.6:
        emit(
            PLACEMENT_EVENTS,
            ParticipantPlaced(
                work_area=area,
                placed_on=enrolled_on,
                from_waitlist=False,
                kind=PlacementKind.ON_ENROLMENT,
            ),
            on=enrolled_on,
            cause=enrolment,
        )
        stay.placements.append((enrolled_on, area))
    else:
        emit(
            PLACEMENT_EVENTS,
            ParticipantWaitlisted(work_area=area, position=rng.randint(1, 9)),
            on=enrolled_on,
            cause=enrolment,
        )
        stay.waiting_since = enrolled_on
        if rng.random() < 0.7:
            placed_on = enrolled_on + dt.timedelta(days=rng.randint(3, 120))
            emit(
                PLACEMENT_EVENTS,
                ParticipantPlaced(
                    work_area=area,
                    placed_on=placed_on,
                    from_waitlist=True,
                    kind=PlacementKind.OFFER_ACCEPTED,
                ),
                on=placed_on,
            )
            stay.placements.append((placed_on, area))
            stay.waiting_since = None
    if stay.placements and rng.random() < 0.25:
        moved_on = stay.placements[-1][0] + dt.timedelta(days=rng.randint(10, 90))
        other = rng.choice([a for a in AREAS if a != area])
        emit(
            PLACEMENT_EVENTS,
            PlacementEnded(work_area=area, ended_on=moved_on, reason=PlacementEndReason.TRANSFERRED),
            on=moved_on,
        )
        emit(
            PLACEMENT_EVENTS,
            ParticipantPlaced(
                work_area=other, placed_on=moved_on, from_waitlist=False, kind=PlacementKind.TRANSFER
            ),
            on=moved_on,
        )
        stay.placements.append((moved_on, other))
    leaves = rng.random() < (0.75 if stay.placements else 0.2)
    if not leaves:
        return
    last = stay.placements[-1][0] if stay.placements else enrolled_on
    exit_date = last + dt.timedelta(days=rng.randint(20, 300))
    destination = rng.choices([d for d, _ in DESTINATIONS], weights=[w for _, w in DESTINATIONS])[0]
    stay.exit_date, stay.destination, stay.waiting_since = exit_date, destination, None
    exit_area = stay.placements[-1][1] if stay.placements else None
    emit(
        OUTCOMES_EVENTS,
        ParticipantExited(
            destination=destination,
            exit_date=exit_date,
            integrated=destination in INTEGRATED,
            work_area=exit_area,
            funder=funders[0],
        ),
        on=exit_date,
    )
    if destination in INTEGRATED:
        emit(
            OUTCOMES_EVENTS,
            IntegrationAchieved(
                destination=destination, exit_date=exit_date, work_area=exit_area, funder=funders[0]
            ),
            on=exit_date,
        )
        if rng.random() < 0.7:
            recorded_on = exit_date + dt.timedelta(days=183)
            stay.situation = rng.choice(SITUATIONS)
            emit(
                OUTCOMES_EVENTS,
                FollowUpRecorded(
                    follow_up_id=uuid.uuid4(),
                    situation=FollowUpSituation(stay.situation),
                    recorded_on=recorded_on,
                    exit_date=exit_date,
                    due_on=recorded_on,
                    destination=destination,
                    integrated=True,
                    jobcenter_integrated=destination in JOBCENTER,
                    work_area=exit_area,
                    funder=funders[0],
                    funders=list(funders),
                ),
                on=recorded_on,
            )
    if stays_left > 1 and rng.random() < 0.1:
        _person(rng, history, pid, exit_date + dt.timedelta(days=rng.randint(30, 200)), 1)


class _Clock:
    """Event moments: on the business day, strictly increasing within one person's history."""

    def __init__(self, day: dt.date) -> None:
        self.last = dt.datetime.combine(day, dt.time(8), dt.UTC)

    def at(self, day: dt.date) -> dt.datetime:
        moment = max(self.last + dt.timedelta(seconds=1), dt.datetime.combine(day, dt.time(8), dt.UTC))
        self.last = moment
        return moment


def _emitter(history: History, pid: uuid.UUID, clock: _Clock) -> Callable[..., EventEnvelope]:
    def emit(
        topic: str, data: EventData, *, on: dt.date, cause: EventEnvelope | None = None
    ) -> EventEnvelope:
        envelope = EventEnvelope.wrap(
            data,
            producer=topic.split(".")[0],
            participant_id=pid,
            causation_id=cause.event_id if cause else None,
            occurred_at=clock.at(on),
        )
        history.events.append(Published(topic, envelope))
        return envelope

    return emit


# The recount ---------------------------------------------------------------------------------

Query = dict[str, Any]


def expected_figures(
    history: History, year: int | None = None, area: str | None = None, funder: str | None = None
) -> dict[str, Any]:
    def admits(y: int, a: str, funders: tuple[Funder, ...]) -> bool:
        return (
            (year is None or y == year)
            and (area is None or a == area)
            and (funder is None or funder in {f.value for f in funders})
        )

    referred = sum(1 for day, first in history.referrals if admits(day.year, first.value, tuple(Funder)))
    counts = dict.fromkeys(
        (
            "enrolled",
            "placed",
            "waiting",
            "exited",
            "integrated",
            "jobcenter_integrated",
            "followed_up",
            "retained",
        ),
        0,
    )
    waited = waiting_days = timed_exits = exit_days = 0
    for stay in history.stays:
        if admits(stay.enrolled_on.year, stay.first_area.value, stay.funders):
            counts["enrolled"] += 1
        if stay.placements:
            placed_on, placed_area = stay.placements[0]
            if admits(placed_on.year, placed_area.value, stay.funders):
                counts["placed"] += 1
                waited += 1
                waiting_days += (placed_on - stay.enrolled_on).days
        if stay.waiting_since and admits(stay.waiting_since.year, stay.first_area.value, stay.funders):
            counts["waiting"] += 1
        if stay.exit_date and stay.destination:
            exit_area = stay.placements[-1][1].value if stay.placements else "none"
            if admits(stay.exit_date.year, exit_area, stay.funders):
                counts["exited"] += 1
                timed_exits += 1
                exit_days += (stay.exit_date - stay.enrolled_on).days
                if stay.destination in INTEGRATED:
                    counts["integrated"] += 1
                    if stay.situation:
                        counts["followed_up"] += 1
                        counts["retained"] += stay.situation in ("still_in_training", "still_employed")
                counts["jobcenter_integrated"] += stay.destination in JOBCENTER
    return {
        "referred": None if funder else referred,
        **counts,
        "integration_rate": _share(counts["integrated"], counts["exited"]),
        "jobcenter_integration_rate": _share(counts["jobcenter_integrated"], counts["exited"]),
        "retention_rate": _share(counts["retained"], counts["followed_up"]),
        "average_waiting_days": None if not waited else round(waiting_days / waited, 1),
        "average_days_to_exit": None if not timed_exits else round(exit_days / timed_exits, 1),
    }


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def queries(history: History) -> list[Query]:
    """The filter combinations the test compares: everything, each year, area and funder, and a few
    combinations of them."""
    years = sorted(
        {day.year for day, _ in history.referrals}
        | {stay.exit_date.year for stay in history.stays if stay.exit_date}
    )
    found: list[Query] = [{}]
    found += [{"year": y} for y in years]
    found += [{"area": a.value} for a in AREAS] + [{"area": "none"}]
    found += [{"funder": f.value} for f in Funder]
    found += [{"year": years[1], "area": "care", "funder": "jobcenter"}, {"year": years[0], "funder": "city"}]
    return found
