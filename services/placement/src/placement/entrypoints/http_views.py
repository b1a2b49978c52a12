"""Read models and domain objects → response bodies (the explicit mapping between the two)."""

from __future__ import annotations

from placement.adapters.read_models import OpenOffer, ParticipantPlacement, WaitlistSpot, WorkshopOccupancy
from placement.domain.offers import Offer
from placement.domain.policy import PlacementPolicy
from placement.entrypoints.http_schemas import (
    OfferView,
    OpenOfferView,
    PlacementView,
    WaitlistEntryView,
    WorkshopView,
)


def workshop_view(occupancy: WorkshopOccupancy, policy: PlacementPolicy) -> WorkshopView:
    workshop = occupancy.workshop
    return WorkshopView(
        workshop_id=workshop.workshop_id,
        work_area=workshop.work_area,
        name=workshop.name,
        seats=workshop.seats,
        lead_instructor=workshop.lead_instructor,
        opening_days=list(workshop.opening_days),
        placed=occupancy.placed,
        open_offers=occupancy.open_offers,
        occupied=occupancy.occupied,
        free_seats=occupancy.free_seats,
        waitlist_length=occupancy.waitlist_length,
        average_waiting_days=occupancy.average_waiting_days,
        automatic_placement=policy.places_on_enrolment(workshop.work_area),
    )


def placement_view(placement: ParticipantPlacement) -> PlacementView:
    return PlacementView(
        participant_id=placement.participant_id,
        status=placement.status.value,
        work_area=placement.work_area,
        workshop_id=placement.workshop_id,
        placed_on=placement.placed_on,
        from_waitlist=placement.from_waitlist,
        waitlist_position=placement.waitlist_position,
        waiting_since=placement.waiting_since,
        waiting_days=placement.waiting_days,
        urgent=placement.urgent,
        urgency_reason=placement.urgency_reason,
        open_offer=_open_offer_view(placement.open_offer),
        ended_on=placement.ended_on,
        exited_on=placement.exited_on,
        stay=placement.stay,
        enrolment_id=placement.enrolment_id,
        held_re_entries=placement.held_re_entries,
        funders=list(placement.funders),
    )


def waitlist_entry_view(spot: WaitlistSpot) -> WaitlistEntryView:
    return WaitlistEntryView(
        participant_id=spot.participant_id,
        position=spot.position,
        waiting_since=spot.waiting_since,
        waiting_days=spot.waiting_days,
        urgent=spot.urgent,
        urgency_reason=spot.urgency_reason,
        open_offer=_open_offer_view(spot.open_offer),
    )


def offer_view(offer: Offer) -> OfferView:
    return OfferView(
        offer_id=offer.offer_id,
        participant_id=offer.participant_id,
        workshop_id=offer.workshop_id,
        work_area=offer.work_area,
        status=offer.status,
        offered_at=offer.offered_at,
        expires_at=offer.expires_at,
        answered_at=offer.answered_at,
        answered_by=offer.answered_by,
        decline_reason=offer.decline_reason,
    )


def _open_offer_view(offer: OpenOffer | None) -> OpenOfferView | None:
    if offer is None:
        return None
    return OpenOfferView(offer_id=offer.offer_id, workshop_id=offer.workshop_id, expires_at=offer.expires_at)
