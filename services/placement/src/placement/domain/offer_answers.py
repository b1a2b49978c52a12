"""Answers to a seat offer: accepted (the holder is placed), declined by staff, or expired.

A declined or expired offer passes its seat on to the next suitable person in fair order. The
person who declined, or let it expire, keeps their place on the waitlist and is offered every
later seat as usual, but never this same seat again (see `offers`). When nobody suitable waits,
the seat stays free for the next enrolment.
"""

from __future__ import annotations

import datetime as dt
import uuid

from placement.domain.area import Area
from placement.domain.decision import Decision
from placement.domain.decisions import offer_free_seats
from placement.domain.errors import WaitlistMustHoldParticipant
from placement.domain.events import Placed
from placement.domain.participant import Participant
from placement.domain.policy import PlacementPolicy
from werkstattnetz_shared.events.vocabulary import OfferDeclineReason, PlacementKind


def when_offer_accepted(
    offer_id: uuid.UUID,
    area: Area,
    participant: Participant | None,
    policy: PlacementPolicy,
    today: dt.date,
    now: dt.datetime,
    by: str,
) -> Decision:
    """`participant` is the offer holder's record, as the caller loaded it (None: not known)."""
    offer = area.open_offer(offer_id)
    if (
        participant is None
        or participant.participant_id != offer.participant_id
        or not area.waitlist.holds(participant.participant_id)
    ):
        raise WaitlistMustHoldParticipant(
            f"offer {offer_id} is held by participant {offer.participant_id}, who no longer waits"
        )
    area.accept(offer_id, participant, now, by)
    participant.place_from_waitlist(today, offer.workshop_id, area.work_area)
    decision = Decision(changed=[participant])
    decision.events.append(
        Placed(
            participant.participant_id,
            area.work_area,
            today,
            from_waitlist=True,
            workshop_id=offer.workshop_id,
            kind=PlacementKind.OFFER_ACCEPTED,
            offer_id=offer_id,
            workshop_lead=area.lead_of(offer.workshop_id),
        )
    )
    offer_free_seats([area], policy, now, decision)
    return decision


def when_offer_declined(
    offer_id: uuid.UUID,
    reason: OfferDeclineReason,
    area: Area,
    policy: PlacementPolicy,
    now: dt.datetime,
    by: str,
) -> Decision:
    decision = Decision()
    decision.events.append(area.decline(offer_id, reason, now, by))
    offer_free_seats([area], policy, now, decision)
    return decision


def when_offer_expired(
    offer_id: uuid.UUID, area: Area, policy: PlacementPolicy, now: dt.datetime
) -> Decision:
    """The durable timer's decision, once the offer's time has run out."""
    decision = Decision()
    decision.events.append(area.expire(offer_id, now))
    offer_free_seats([area], policy, now, decision)
    return decision
