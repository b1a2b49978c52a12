"""What caseworkers decide by hand: place someone in a workshop of their choice, transfer them to
another (trying other work areas is part of orientation), end a placement, flag an urgent case.

Same shape as `decisions`: the locked areas in, a `Decision` out, free seats offered at the end.
A caseworker takes only a free seat no offer holds; someone holding an offer is placed by
accepting it (or, after declining it, by hand).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping

from placement.domain.area import Area
from placement.domain.decision import Decision
from placement.domain.decisions import offer_free_seats, own_area
from placement.domain.errors import EndReasonMustBeGivenByHand, OpenOfferMustBeAnswered, UrgencyNeedsReason
from placement.domain.events import Placed, PlacementEnded
from placement.domain.participant import Participant, PlacementStatus
from placement.domain.policy import PlacementPolicy
from placement.domain.urgency import UrgencyReason
from werkstattnetz_shared.events.vocabulary import PlacementEndReason, PlacementKind, WorkArea


def areas_needed_for_casework(
    participant: Participant | None, target: WorkArea | None = None
) -> set[WorkArea]:
    """Where the person sits or waits, and the area of the workshop they are to go to."""
    return own_area(participant) | ({target} if target is not None else set())


def when_caseworker_places(
    participant: Participant,
    workshop_id: uuid.UUID,
    areas: Mapping[WorkArea, Area],
    policy: PlacementPolicy,
    today: dt.date,
    now: dt.datetime,
) -> Decision:
    """Someone waiting (in any area) or between two placements takes a free seat of the workshop."""
    target = area_with(areas, workshop_id)
    waiting = participant.status is PlacementStatus.WAITLISTED and participant.work_area is not None
    waited_in = areas[participant.work_area] if waiting and participant.work_area is not None else None
    if waited_in is not None and (offer := waited_in.open_offer_of(participant.participant_id)) is not None:
        raise OpenOfferMustBeAnswered(
            f"participant {participant.participant_id} holds offer {offer.offer_id}: answer it first",
            offer.offer_id,
        )
    from_waitlist = participant.place_by_hand(today, workshop_id, target.work_area)
    target.take_seat(workshop_id, now)
    if waited_in is not None:
        waited_in.waitlist.leave(participant.participant_id)
    decision = Decision(changed=[participant])
    decision.events.append(
        Placed(
            participant.participant_id,
            target.work_area,
            today,
            from_waitlist=from_waitlist,
            workshop_id=workshop_id,
            kind=PlacementKind.BY_CASEWORKER,
            workshop_lead=target.lead_of(workshop_id),
        )
    )
    offer_free_seats(areas.values(), policy, now, decision)
    return decision


def when_caseworker_transfers(
    participant: Participant,
    workshop_id: uuid.UUID,
    areas: Mapping[WorkArea, Area],
    policy: PlacementPolicy,
    today: dt.date,
    now: dt.datetime,
) -> Decision:
    """From one workshop to another, in the same area or another; the seat left is offered on."""
    target = area_with(areas, workshop_id)
    left_area, left_workshop = participant.seat("transfer")
    participant.transfer_to(today, workshop_id, target.work_area)
    target.take_seat(workshop_id, now)
    areas[left_area].give_back_seat(left_workshop, now)
    decision = Decision(changed=[participant])
    decision.events += [
        PlacementEnded(
            participant.participant_id, left_area, today, PlacementEndReason.TRANSFERRED, left_workshop
        ),
        Placed(
            participant.participant_id,
            target.work_area,
            today,
            from_waitlist=False,
            workshop_id=workshop_id,
            kind=PlacementKind.TRANSFER,
            workshop_lead=target.lead_of(workshop_id),
        ),
    ]
    offer_free_seats(areas.values(), policy, now, decision)
    return decision


def when_caseworker_ends_placement(
    participant: Participant,
    reason: PlacementEndReason,
    on: dt.date,
    areas: Mapping[WorkArea, Area],
    policy: PlacementPolicy,
    today: dt.date,
    now: dt.datetime,
) -> Decision:
    """`completed`, `dropout` or `exited` (ahead of the exit outcomes will record); the person stays
    in the programme, in no workshop, until their exit or a caseworker places them again."""
    if reason is PlacementEndReason.TRANSFERRED:
        raise EndReasonMustBeGivenByHand("a transfer ends a placement as transferred; use the transfer")
    left_area, left_workshop = participant.seat("end the placement")
    participant.end_placement_by_hand(on, today)
    areas[left_area].give_back_seat(left_workshop, now)
    decision = Decision(changed=[participant])
    decision.events.append(PlacementEnded(participant.participant_id, left_area, on, reason, left_workshop))
    offer_free_seats(areas.values(), policy, now, decision)
    return decision


def when_urgency_changes(
    participant: Participant, urgent: bool, reason: UrgencyReason | None, areas: Mapping[WorkArea, Area]
) -> Decision:
    """An urgent case (with its reason) waits ahead of all others; offers already out stay out."""
    if urgent != (reason is not None):
        raise UrgencyNeedsReason(
            "an urgent case needs a reason code" if urgent else "a case that is not urgent takes no reason"
        )
    participant.mark_urgent(reason)
    if participant.status is PlacementStatus.WAITLISTED and participant.work_area is not None:
        areas[participant.work_area].waitlist.requeue(participant)
    return Decision(changed=[participant])


def area_with(areas: Mapping[WorkArea, Area], workshop_id: uuid.UUID) -> Area:
    for area in areas.values():
        if area.has_workshop(workshop_id):
            return area
    raise ValueError(f"the area of workshop {workshop_id} is needed for this decision but was not given")
