"""The placement decisions: who gets a seat, who waits, and who gets a freed seat.

Each function works on the workshops and waitlists the caller has locked, changes them in memory,
and returns a `Decision`: the participants to save and the events to publish, in order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from placement.domain.events import Placed, PlacementEndedOnExit, PlacementEvent, Waitlisted
from placement.domain.participant import Enrolment, Participant, PlacementStatus
from placement.domain.workshop import Waitlist, Workshop
from werkstattnetz_shared.events.vocabulary import WorkArea


@dataclass(frozen=True)
class Exit:
    participant_id: uuid.UUID
    exit_date: dt.date


@dataclass
class Decision:
    changed: list[Participant] = field(default_factory=list)
    events: list[PlacementEvent] = field(default_factory=list)


def when_participant_enrolled_place_or_waitlist(
    enrolment: Enrolment,
    known: Participant | None,
    workshops: Mapping[WorkArea, Workshop],
    first_choice_waitlist: Waitlist,
    now: dt.datetime,
) -> Decision:
    """A seat in the first preferred workshop that has one, else the first choice's waitlist.

    `known` is what placement already knows about the person: someone who exited first stays
    without a seat, and a second enrolment of the same person changes nothing.
    """
    if known is not None:
        if known.status is PlacementStatus.EXITED_BEFORE_ENROLMENT and not known.is_enrolled:
            known.note_late_enrolment(enrolment)
            return Decision(changed=[known])
        return Decision()
    for area in enrolment.preferred_work_areas:
        workshop = workshops[area]
        if workshop.has_free_seat:
            workshop.take_seat()
            participant = Participant.placed_on_enrolment(enrolment, area)
            event = Placed(enrolment.participant_id, area, enrolment.enrolled_on, from_waitlist=False)
            return Decision(changed=[participant], events=[event])
    participant = Participant.waiting_after_enrolment(enrolment, since=now)
    if first_choice_waitlist.work_area is not participant.work_area:
        raise ValueError("the waitlist given is not the one of the first preferred work area")
    position = first_choice_waitlist.join(participant)
    waitlisted = Waitlisted(enrolment.participant_id, first_choice_waitlist.work_area, position)
    return Decision(changed=[participant], events=[waitlisted])


def when_participant_exited_free_seat_and_offer_next(
    leaving: Exit,
    known: Participant | None,
    workshop: Workshop | None,
    waitlist: Waitlist | None,
    today: dt.date,
) -> Decision:
    """End the placement and give the seat to the next in line, or take the person off the waitlist.

    `workshop` and `waitlist` are those of the participant's work area (None when they have none).
    The freed seat is taken from the later of exit date and today: not before the seat is free,
    and not in the past when the exit is reported late.
    """
    if known is None:
        return Decision(
            changed=[Participant.exited_before_enrolment(leaving.participant_id, leaving.exit_date)]
        )
    if known.status is PlacementStatus.PLACED:
        workshop, waitlist = _of_own_area(known, workshop, waitlist)
        workshop.give_back_seat()
        known.end_placement(leaving.exit_date)
        decision = Decision(
            changed=[known],
            events=[PlacementEndedOnExit(known.participant_id, workshop.work_area, leaving.exit_date)],
        )
        _offer_free_seats(workshop, waitlist, max(leaving.exit_date, today), decision)
        return decision
    if known.status is PlacementStatus.WAITLISTED:
        _, waitlist = _of_own_area(known, workshop, waitlist)
        waitlist.leave(known.participant_id)
        known.leave_waitlist(leaving.exit_date)
        return Decision(changed=[known])
    # Ended, left the waitlist, or exited before: a repeated exit changes nothing.
    return Decision()


def when_capacity_changed_fill_free_seats(workshop: Workshop, waitlist: Waitlist, today: dt.date) -> Decision:
    """After a capacity change (applied at start), seats that became free go to those waiting."""
    decision = Decision()
    _offer_free_seats(workshop, waitlist, today, decision)
    return decision


def _offer_free_seats(workshop: Workshop, waitlist: Waitlist, on: dt.date, decision: Decision) -> None:
    while workshop.has_free_seat and (next_in_line := waitlist.next_in_line()) is not None:
        workshop.take_seat()
        waitlist.leave(next_in_line.participant_id)
        next_in_line.place_from_waitlist(on)
        decision.changed.append(next_in_line)
        decision.events.append(
            Placed(next_in_line.participant_id, workshop.work_area, on, from_waitlist=True)
        )


def _of_own_area(
    participant: Participant, workshop: Workshop | None, waitlist: Waitlist | None
) -> tuple[Workshop, Waitlist]:
    area = participant.work_area
    if (
        workshop is None
        or waitlist is None
        or workshop.work_area is not area
        or waitlist.work_area is not area
    ):
        raise ValueError(f"the workshop and waitlist of {area} are needed to decide on this exit")
    return workshop, waitlist
