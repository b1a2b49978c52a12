"""The placement decisions: who gets a seat, who waits, and who gets a freed seat.

Each function works on the workshops and waitlists the caller has locked, changes them in memory,
and returns a `Decision`: the participants to save and the events to publish, in order.

Re-entry (one participant id, several stays, each with its own `enrolment_id`):

- An enrolment placement has heard before (same id, or none for someone already enrolled) changes
  nothing, so one enrolment never places twice.
- A new enrolment for someone whose stay has ended starts a new stay: placed or waitlisted by the
  same rules as a first enrolment.
- A new enrolment while the previous stay is still active (its exit not heard yet: the topics
  have no order between them) is held. When that exit arrives, the exit is applied in full first
  (the freed seat goes to whoever waits, in waitlist order), then the held enrolment is placed or
  joins the end of its first choice's waitlist, as if it had arrived at that moment.
- An exit heard while no stay is active is the exit of a stay whose enrolment has not arrived:
  that enrolment, when it comes, takes no seat (see `Participant.exit_ahead_of`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from placement.domain.enrolment import Cause, Enrolment, HeldEnrolment
from placement.domain.events import Placed, PlacementEndedOnExit, PlacementEvent, Waitlisted
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.workshop import Waitlist, Workshop
from werkstattnetz_shared.events.vocabulary import WorkArea

_Locked = TypeVar("_Locked", Workshop, Waitlist)


@dataclass(frozen=True)
class Exit:
    participant_id: uuid.UUID
    exit_date: dt.date


@dataclass
class Decision:
    changed: list[Participant] = field(default_factory=list)
    events: list[PlacementEvent] = field(default_factory=list)


def workshops_needed_for_enrolment(enrolment: Enrolment, known: Participant | None) -> set[WorkArea]:
    """The preferred workshops, and the one the person holds a spot in (a held re-entry changes
    their row, and rows of people holding a spot only change under their workshop's lock)."""
    return set(enrolment.preferred_work_areas) | _own_area(known)


def workshops_needed_for_exit(known: Participant | None) -> set[WorkArea]:
    """The workshop of the ending stay, and the preferred ones of the re-entry it releases."""
    areas = _own_area(known)
    if known is not None and known.held:
        areas |= set(known.held[0].enrolment.preferred_work_areas)
    return areas


def when_participant_enrolled_place_or_waitlist(
    enrolment: Enrolment,
    known: Participant | None,
    workshops: Mapping[WorkArea, Workshop],
    waitlists: Mapping[WorkArea, Waitlist],
    now: dt.datetime,
    cause: Cause,
) -> Decision:
    """A seat in the first preferred workshop that has one, else the first choice's waitlist.

    `known` is what placement already knows about the person (see the module's re-entry rules).
    `cause` is the enrolment's event, kept with a held re-entry for the decision it gets later.
    """
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
    _place_or_waitlist(known, enrolment, enrolment.enrolled_on, workshops, waitlists, now, decision)
    return decision


def when_participant_exited_free_seat_and_offer_next(
    leaving: Exit,
    known: Participant | None,
    workshops: Mapping[WorkArea, Workshop],
    waitlists: Mapping[WorkArea, Waitlist],
    today: dt.date,
    now: dt.datetime,
) -> Decision:
    """End the placement and give the seat to the next in line, or take the person off the waitlist;
    then start the re-entry held for this exit, if any.

    The freed seat is taken from the later of exit date and today: not before the seat is free,
    and not in the past when the exit is reported late.
    """
    if known is None:
        return Decision(
            changed=[Participant.exited_before_enrolment(leaving.participant_id, leaving.exit_date)]
        )
    if not known.holds_a_spot:
        known.note_exit_ahead(leaving.exit_date)
        return Decision(changed=[known])
    decision = Decision(changed=[known])
    area = _area_of(known, workshops, waitlists)
    if known.status is PlacementStatus.PLACED:
        workshops[area].give_back_seat()
        known.end_placement(leaving.exit_date)
        decision.events.append(PlacementEndedOnExit(known.participant_id, area, leaving.exit_date))
        _offer_free_seats(workshops[area], waitlists[area], max(leaving.exit_date, today), decision)
    else:
        waitlists[area].leave(known.participant_id)
        known.leave_waitlist(leaving.exit_date)
    if (held := known.take_next_held()) is not None:
        # Not placed before the stay it follows has ended, even if intake dated it earlier.
        on = max(held.enrolment.enrolled_on, leaving.exit_date)
        _place_or_waitlist(known, held.enrolment, on, workshops, waitlists, now, decision, held.cause)
    return decision


def when_capacity_changed_fill_free_seats(workshop: Workshop, waitlist: Waitlist, today: dt.date) -> Decision:
    """After a capacity change (applied at start), seats that became free go to those waiting."""
    decision = Decision()
    _offer_free_seats(workshop, waitlist, today, decision)
    return decision


def _place_or_waitlist(
    known: Participant | None,
    enrolment: Enrolment,
    on: dt.date,
    workshops: Mapping[WorkArea, Workshop],
    waitlists: Mapping[WorkArea, Waitlist],
    now: dt.datetime,
    decision: Decision,
    cause: Cause | None = None,
) -> None:
    """Start a stay: first a known participant's next, or a new participant's first."""
    participant_id = enrolment.participant_id
    for area in enrolment.preferred_work_areas:
        workshop = _needed(workshops, area, "workshop")
        if workshop.has_free_seat:
            workshop.take_seat()
            if known is None:
                known = Participant.placed_on_enrolment(enrolment, area, on)
            else:
                known.start_stay_placed(enrolment, area, on)
            _changed(decision, known)
            decision.events.append(Placed(participant_id, area, on, from_waitlist=False, cause=cause))
            return
    first_choice = enrolment.preferred_work_areas[0]
    waitlist = _needed(waitlists, first_choice, "waitlist")
    if known is None:
        known = Participant.waiting_after_enrolment(enrolment, since=now)
    else:
        known.start_stay_waiting(enrolment, since=now)
    position = waitlist.join(known)
    _changed(decision, known)
    decision.events.append(Waitlisted(participant_id, first_choice, position, cause=cause))


def _offer_free_seats(workshop: Workshop, waitlist: Waitlist, on: dt.date, decision: Decision) -> None:
    while workshop.has_free_seat and (next_in_line := waitlist.next_in_line()) is not None:
        workshop.take_seat()
        waitlist.leave(next_in_line.participant_id)
        next_in_line.place_from_waitlist(on)
        _changed(decision, next_in_line)
        decision.events.append(
            Placed(next_in_line.participant_id, workshop.work_area, on, from_waitlist=True)
        )


def _changed(decision: Decision, participant: Participant) -> None:
    if all(other is not participant for other in decision.changed):
        decision.changed.append(participant)


def _own_area(known: Participant | None) -> set[WorkArea]:
    if known is None or not known.holds_a_spot or known.work_area is None:
        return set()
    return {known.work_area}


def _area_of(
    participant: Participant, workshops: Mapping[WorkArea, Workshop], waitlists: Mapping[WorkArea, Waitlist]
) -> WorkArea:
    area = participant.work_area
    if area is None or area not in workshops or area not in waitlists:
        raise ValueError(f"the workshop and waitlist of {area} are needed to decide on this exit")
    return area


def _needed(locked: Mapping[WorkArea, _Locked], area: WorkArea, what: str) -> _Locked:
    if area not in locked:
        raise ValueError(f"the {what} of {area.value} is needed for this decision but was not given")
    return locked[area]
