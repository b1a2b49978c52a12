"""The placement decisions on what intake and outcomes tell: an enrolment, an exit.

Each function works on the areas the caller has locked, changes them in memory, and returns a
`Decision`: the participants to save and the events to publish, in order. Every decision ends
by offering the free seats of the areas it touched (see `area`), so no seat stays free while
someone suitable waits for it.

Placement on enrolment: the first preferred area that places on enrolment (the default; see
`PlacementPolicy`) and has a free seat no offer holds gets the person; otherwise they wait for
their first choice, in fair order (see `waitlist`).

Re-entry (one participant id, several stays, each with its own `enrolment_id`):

- An enrolment placement has heard before (same id, or none for someone already enrolled) changes
  nothing, so one enrolment never places twice.
- A new enrolment for someone whose stay has ended starts a new stay: placed or waitlisted by the
  same rules as a first enrolment.
- A new enrolment while the previous stay is still active (its exit not heard yet: the topics
  have no order between them) is held. When that exit arrives, the exit is applied in full first
  (the freed seat is offered to whoever waits, in waitlist order), then the held enrolment is
  placed or joins its first choice's waitlist (in fair order, by the moment intake enrolled it).
- An exit heard while no stay is active is the exit of a stay whose enrolment has not arrived:
  that enrolment, when it comes, takes no seat (see `Participant.exit_ahead_of`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from placement.domain.area import Area
from placement.domain.decision import Decision
from placement.domain.enrolment import Cause, Enrolment, HeldEnrolment
from placement.domain.events import Placed, PlacementEnded, Waitlisted
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.policy import PlacementPolicy
from werkstattnetz_shared.events.vocabulary import PlacementEndReason, PlacementKind, WorkArea


@dataclass(frozen=True)
class Exit:
    participant_id: uuid.UUID
    exit_date: dt.date


def workshops_needed_for_enrolment(enrolment: Enrolment, known: Participant | None) -> set[WorkArea]:
    """The preferred areas, and the one the person holds a seat or waitlist spot in (a held
    re-entry changes their row, and rows of people in an area only change under its lock)."""
    return set(enrolment.preferred_work_areas) | own_area(known)


def workshops_needed_for_exit(known: Participant | None) -> set[WorkArea]:
    """The area of the ending stay, and the preferred ones of the re-entry it releases."""
    areas = own_area(known)
    if known is not None and known.held:
        areas |= set(known.held[0].enrolment.preferred_work_areas)
    return areas


def when_participant_enrolled_place_or_waitlist(
    enrolment: Enrolment,
    known: Participant | None,
    areas: Mapping[WorkArea, Area],
    policy: PlacementPolicy,
    now: dt.datetime,
    cause: Cause,
) -> Decision:
    """`known` is what placement already knows about the person (see the module's re-entry rules).
    `cause` is the enrolment's event, kept with a held re-entry for the decision it gets later."""
    if known is not None:
        if known.has_heard(enrolment):
            return Decision()
        if known.holds_a_spot:
            known.hold_re_entry(HeldEnrolment(enrolment, cause, heard_at=now))
            return Decision(changed=[known])
        if known.exit_ahead_of(enrolment) is not None:
            known.note_stay_that_already_ended(enrolment)
            return Decision(changed=[known])
    decision = Decision()
    _place_or_waitlist(known, enrolment, enrolment.enrolled_on, areas, policy, now, decision)
    offer_free_seats(areas.values(), policy, now, decision)
    return decision


def when_participant_exited_free_seat_and_offer_next(
    leaving: Exit,
    known: Participant | None,
    areas: Mapping[WorkArea, Area],
    policy: PlacementPolicy,
    today: dt.date,
    now: dt.datetime,
) -> Decision:
    """End the placement and offer the seat to the next in line, or take the person off the
    waitlist (declining an offer they hold); then start the re-entry held for this exit, if any."""
    if known is None:
        return Decision(
            changed=[Participant.exited_before_enrolment(leaving.participant_id, leaving.exit_date)]
        )
    if not known.holds_a_spot:
        known.note_exit_ahead(leaving.exit_date)
        return Decision(changed=[known])
    decision = Decision(changed=[known])
    if known.status is PlacementStatus.PLACED:
        area_name, workshop_id = known.seat("end the placement")
        area = _needed(areas, area_name)
        area.give_back_seat(workshop_id, now)
        known.end_placement(leaving.exit_date)
        decision.events.append(
            PlacementEnded(
                known.participant_id, area_name, leaving.exit_date, PlacementEndReason.EXITED, workshop_id
            )
        )
        decision.events.extend(area.offer_free_seats(now, policy.offer_valid_for))
    elif known.status is PlacementStatus.WAITLISTED:
        area = _area_of(known, areas)
        decision.events.extend(area.leave_waitlist(known.participant_id, now))
        known.leave_waitlist(leaving.exit_date)
        decision.events.extend(area.offer_free_seats(now, policy.offer_valid_for))
    else:
        known.close_stay_between_placements(leaving.exit_date)
    if (held := known.take_next_held()) is not None:
        # Not placed before the stay it follows has ended, even if intake dated it earlier.
        on = max(held.enrolment.enrolled_on, leaving.exit_date)
        _place_or_waitlist(known, held.enrolment, on, areas, policy, now, decision, held.cause)
    offer_free_seats(areas.values(), policy, now, decision)
    return decision


def offer_free_seats(
    areas: Iterable[Area], policy: PlacementPolicy, now: dt.datetime, decision: Decision
) -> None:
    """The last step of every decision: free seats nobody holds go, as offers, to those waiting."""
    for area in sorted(areas, key=lambda area: area.work_area.value):
        decision.events.extend(area.offer_free_seats(now, policy.offer_valid_for))


def own_area(known: Participant | None) -> set[WorkArea]:
    """The area whose lock guards the person's row: where they sit or wait."""
    if known is None or known.work_area is None:
        return set()
    if known.status not in (PlacementStatus.PLACED, PlacementStatus.WAITLISTED):
        return set()
    return {known.work_area}


def _place_or_waitlist(
    known: Participant | None,
    enrolment: Enrolment,
    on: dt.date,
    areas: Mapping[WorkArea, Area],
    policy: PlacementPolicy,
    now: dt.datetime,
    decision: Decision,
    cause: Cause | None = None,
) -> None:
    """Start a stay: first a known participant's next, or a new participant's first."""
    participant_id = enrolment.participant_id
    for work_area in enrolment.preferred_work_areas:
        if not policy.places_on_enrolment(work_area):
            continue
        area = _needed(areas, work_area)
        if (seats := area.workshop_with_free_seat()) is None:
            continue
        area.take_seat(seats.workshop_id, now)
        if known is None:
            known = Participant.placed_on_enrolment(enrolment, work_area, seats.workshop_id, on)
        else:
            known.start_stay_placed(enrolment, work_area, on, seats.workshop_id)
        decision.note_changed(known)
        decision.events.append(
            Placed(
                participant_id,
                work_area,
                on,
                from_waitlist=False,
                cause=cause,
                workshop_id=seats.workshop_id,
                kind=PlacementKind.ON_ENROLMENT,
                workshop_lead=seats.workshop.lead_instructor,
            )
        )
        return
    first_choice = enrolment.preferred_work_areas[0]
    area = _needed(areas, first_choice)
    if known is None:
        known = Participant.waiting_after_enrolment(enrolment, since=now)
    else:
        known.start_stay_waiting(enrolment, since=now)
    position = area.waitlist.join(known)
    decision.note_changed(known)
    decision.events.append(Waitlisted(participant_id, first_choice, position, cause=cause))


def _area_of(participant: Participant, areas: Mapping[WorkArea, Area]) -> Area:
    area = participant.work_area
    if area is None or area not in areas:
        raise ValueError(f"the area {area} is needed to decide on this exit")
    return areas[area]


def _needed(areas: Mapping[WorkArea, Area], area: WorkArea) -> Area:
    if area not in areas:
        raise ValueError(f"the area {area.value} is needed for this decision but was not given")
    return areas[area]
