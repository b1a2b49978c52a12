"""What placement knows about one participant: coarse enrolment facts and where they stand.

Only the pseudonymous id, the preferred work areas and the funders are kept; never personal data.

Within a stay a person moves: waitlisted → placed (on enrolment, by accepting an offer, or by
hand) → transferred to another workshop (still placed) → their placement ended by a caseworker
(`between_placements`: still in the programme, in no workshop) → placed again by hand; the exit
heard from outcomes ends the stay whatever the status (`ended`, or `left_waitlist`).

A person may come back after leaving (re-entry): each `ParticipantEnrolled` with a new
`enrolment_id` is a new stay under the same participant id. The record describes the latest stay
placement has heard the enrolment of; `held` are re-entries heard while that stay was still
active, `exits_ahead` are exits heard for stays whose enrolment has not arrived yet (the two
topics have no order between them). The rules that use them are in `decisions`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from placement.domain.enrolment import Enrolment, HeldEnrolment
from placement.domain.errors import (
    EndDateMustFitPlacement,
    ParticipantMustBePlaced,
    ParticipantMustNotBePlaced,
    StatusMustAllowChange,
    StayMustBeActive,
    TransferMustChangeWorkshop,
)
from placement.domain.urgency import UrgencyReason
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea


class PlacementStatus(StrEnum):
    PLACED = "placed"
    WAITLISTED = "waitlisted"
    BETWEEN_PLACEMENTS = "between_placements"
    ENDED = "ended"
    LEFT_WAITLIST = "left_waitlist"
    EXITED_BEFORE_ENROLMENT = "exited_before_enrolment"


# A stay in one of these is active until its exit arrives (a seat, a waitlist spot, or neither
# for a while between two placements).
ACTIVE = frozenset({PlacementStatus.PLACED, PlacementStatus.WAITLISTED, PlacementStatus.BETWEEN_PLACEMENTS})


@dataclass
class Participant:
    participant_id: uuid.UUID
    status: PlacementStatus
    preferred_work_areas: tuple[WorkArea, ...] = ()
    funder: Funder | None = None
    enrolled_on: dt.date | None = None
    work_area: WorkArea | None = None
    placed_on: dt.date | None = None
    from_waitlist: bool = False
    waiting_since: dt.datetime | None = None
    ended_on: dt.date | None = None
    exited_on: dt.date | None = None
    enrolment_id: uuid.UUID | None = None
    stay: int = 1
    """Number of the stay described (1 = first); 0 while only an exit is known."""
    enrolment_ids: frozenset[uuid.UUID] = frozenset()
    """Every enrolment id heard for the person, held ones included."""
    held: tuple[HeldEnrolment, ...] = ()
    exits_ahead: tuple[dt.date, ...] = ()
    """Exit dates of stays whose enrolment has not arrived yet, oldest first."""
    workshop_id: uuid.UUID | None = None
    """The workshop of the current placement, or of the last one once it ended."""
    funders: tuple[Funder, ...] = ()
    enrolled_at: dt.datetime | None = None
    """When intake enrolled the person for this stay, as its event states: the waitlist's order."""
    urgent: bool = False
    urgency_reason: UrgencyReason | None = None

    @classmethod
    def placed_on_enrolment(
        cls,
        enrolment: Enrolment,
        work_area: WorkArea,
        workshop_id: uuid.UUID | None = None,
        on: dt.date | None = None,
    ) -> Participant:
        participant = cls(enrolment.participant_id, PlacementStatus.PLACED, stay=0)
        participant._begin_stay(enrolment)
        participant._seat(work_area, workshop_id, on or enrolment.enrolled_on)
        return participant

    @classmethod
    def waiting_after_enrolment(cls, enrolment: Enrolment, since: dt.datetime) -> Participant:
        """Waits for the first preferred area: that is where the person most wants to work."""
        participant = cls(enrolment.participant_id, PlacementStatus.WAITLISTED, stay=0)
        participant._begin_stay(enrolment)
        participant._wait(since)
        return participant

    @classmethod
    def exited_before_enrolment(cls, participant_id: uuid.UUID, exit_date: dt.date) -> Participant:
        """The exit overtook the enrolment (different topics); remembered so no seat is taken later."""
        return cls(
            participant_id=participant_id,
            status=PlacementStatus.EXITED_BEFORE_ENROLMENT,
            exited_on=exit_date,
            stay=0,
            exits_ahead=(exit_date,),
        )

    @property
    def is_enrolled(self) -> bool:
        return self.enrolled_on is not None

    @property
    def holds_a_spot(self) -> bool:
        """The stay described is active (until its exit): a seat, a waitlist spot, or between two."""
        return self.status in ACTIVE

    @property
    def queue_time(self) -> dt.datetime | None:
        """Where the person stands in the waitlist's fair order (after the urgent cases)."""
        return self.enrolled_at or self.waiting_since

    def has_heard(self, enrolment: Enrolment) -> bool:
        """A redelivery: the same enrolment id again, or one without id for a person already enrolled."""
        if enrolment.enrolment_id is None:
            return self.is_enrolled
        return enrolment.enrolment_id in self.enrolment_ids

    def exit_ahead_of(self, enrolment: Enrolment) -> dt.date | None:
        """The exit already heard of the stay this enrolment begins, if there is one.

        Exits come in stay order. Outcomes refuses an exit dated before the stay's enrolment, so an
        exit ahead dated before `enrolled_on` belongs to a stay placement never heard the enrolment
        of, not to this one.
        """
        return next((on for on in self.exits_ahead if on >= enrolment.enrolled_on), None)

    def hold_re_entry(self, held: HeldEnrolment) -> None:
        self._require_active("hold a re-entry")
        self.held = (*self.held, held)
        self._remember(held.enrolment)

    def take_next_held(self) -> HeldEnrolment | None:
        """The re-entry heard first, taken off the held ones (it is about to start)."""
        self._require_ended("start a held re-entry")
        if not self.held:
            return None
        first, self.held = self.held[0], self.held[1:]
        return first

    def note_stay_that_already_ended(self, enrolment: Enrolment) -> None:
        """The enrolment of a stay whose exit came first: keep its coarse facts; it takes no seat."""
        exit_date = self.exit_ahead_of(enrolment)
        if self.holds_a_spot or exit_date is None:
            raise StatusMustAllowChange(
                f"cannot note an ended stay of participant {self.participant_id}: no exit of it is known"
            )
        self._begin_stay(enrolment)
        self.status = PlacementStatus.EXITED_BEFORE_ENROLMENT
        self.exited_on = exit_date
        self.exits_ahead = self.exits_ahead[self.exits_ahead.index(exit_date) + 1 :]

    def start_stay_placed(
        self, enrolment: Enrolment, work_area: WorkArea, on: dt.date, workshop_id: uuid.UUID | None = None
    ) -> None:
        """A new stay after the previous one ended (or after exits of stays never enrolled here)."""
        self._start_new_stay(enrolment)
        self._seat(work_area, workshop_id, on)

    def start_stay_waiting(self, enrolment: Enrolment, since: dt.datetime) -> None:
        self._start_new_stay(enrolment)
        self._wait(since)

    def note_exit_ahead(self, exit_date: dt.date) -> None:
        """An exit of a stay whose enrolment has not arrived; its enrolment will take no seat."""
        if self.holds_a_spot:
            raise StatusMustAllowChange(
                f"participant {self.participant_id} is {self.status.value}: an exit ends that stay"
            )
        self.exits_ahead = (*self.exits_ahead, exit_date)

    def place_from_waitlist(
        self, on: dt.date, workshop_id: uuid.UUID | None = None, work_area: WorkArea | None = None
    ) -> None:
        """Into the workshop of an accepted offer (in the area waited for, unless named)."""
        self._require(PlacementStatus.WAITLISTED, "place from the waitlist")
        self._seat(work_area or self.work_area, workshop_id, on)
        self.from_waitlist = True

    def place_by_hand(self, on: dt.date, workshop_id: uuid.UUID, work_area: WorkArea) -> bool:
        """A caseworker's choice of workshop, for someone waiting or between two placements.
        Returns whether the person came from the waitlist."""
        if self.status is PlacementStatus.PLACED:
            raise ParticipantMustNotBePlaced(
                f"participant {self.participant_id} is placed already: move them with a transfer"
            )
        self._require_active("place by hand")
        from_waitlist = self.status is PlacementStatus.WAITLISTED
        self._seat(work_area, workshop_id, on)
        self.from_waitlist = from_waitlist
        self.ended_on = None
        return from_waitlist

    def seat(self, change: str) -> tuple[WorkArea, uuid.UUID]:
        """The area and workshop the person sits in; only someone placed has one."""
        self._require_placed(change)
        if self.work_area is None or self.workshop_id is None:
            raise ParticipantMustBePlaced(f"participant {self.participant_id} sits in no known workshop")
        return self.work_area, self.workshop_id

    def transfer_to(self, on: dt.date, workshop_id: uuid.UUID, work_area: WorkArea) -> None:
        self._require_placed("transfer")
        if workshop_id == self.workshop_id:
            raise TransferMustChangeWorkshop(
                f"participant {self.participant_id} sits in workshop {workshop_id} already"
            )
        self._seat(work_area, workshop_id, on)
        self.from_waitlist = False

    def end_placement(self, on: dt.date) -> None:
        """The exit ends the placement together with the stay."""
        self._require(PlacementStatus.PLACED, "end the placement")
        self.status = PlacementStatus.ENDED
        self.ended_on = on
        self.exited_on = on

    def end_placement_by_hand(self, on: dt.date, today: dt.date) -> None:
        """A caseworker ended the placement; the stay goes on (until its exit) in no workshop."""
        self._require_placed("end the placement")
        if (self.placed_on is not None and on < self.placed_on) or on > today:
            raise EndDateMustFitPlacement(
                f"the placement began on {self.placed_on} and cannot end on {on.isoformat()} "
                f"(nor after today, {today.isoformat()})"
            )
        self.status = PlacementStatus.BETWEEN_PLACEMENTS
        self.ended_on = on

    def close_stay_between_placements(self, on: dt.date) -> None:
        """The exit of someone whose last placement a caseworker had already ended."""
        self._require(PlacementStatus.BETWEEN_PLACEMENTS, "close the stay")
        self.status = PlacementStatus.ENDED
        self.exited_on = on

    def mark_urgent(self, reason: UrgencyReason | None) -> None:
        """Urgent with a reason, or (None) no longer urgent; only while the stay is active."""
        self._require_active("change the priority")
        self.urgent = reason is not None
        self.urgency_reason = reason

    def leave_waitlist(self, on: dt.date) -> None:
        self._require(PlacementStatus.WAITLISTED, "leave the waitlist")
        self.status = PlacementStatus.LEFT_WAITLIST
        self.exited_on = on

    def _start_new_stay(self, enrolment: Enrolment) -> None:
        self._require_ended("start a new stay")
        if self.exit_ahead_of(enrolment) is not None:
            raise StatusMustAllowChange(
                f"the stay of participant {self.participant_id} enrolled on "
                f"{enrolment.enrolled_on.isoformat()} has already ended: its exit came first"
            )
        self._begin_stay(enrolment)
        # Exits ahead that are all dated before this enrolment belong to stays never heard of here.
        self.exits_ahead = ()

    def _begin_stay(self, enrolment: Enrolment) -> None:
        """Forget the previous stay's placement; keep what belongs to the person (ids, held, exits)."""
        self.stay += 1
        self.enrolment_id = enrolment.enrolment_id
        self.preferred_work_areas = enrolment.preferred_work_areas
        self.funder = enrolment.funder
        self.funders = enrolment.all_funders
        self.enrolled_on = enrolment.enrolled_on
        self.enrolled_at = enrolment.enrolled_at
        self.work_area = self.placed_on = self.waiting_since = self.ended_on = self.exited_on = None
        self.workshop_id = None
        self.from_waitlist = self.urgent = False
        self.urgency_reason = None
        self._remember(enrolment)

    def _seat(self, work_area: WorkArea | None, workshop_id: uuid.UUID | None, on: dt.date) -> None:
        self.status = PlacementStatus.PLACED
        self.work_area = work_area
        self.workshop_id = workshop_id
        self.placed_on = on

    def _wait(self, since: dt.datetime) -> None:
        self.status = PlacementStatus.WAITLISTED
        self.work_area = self.preferred_work_areas[0]
        self.waiting_since = since
        if self.enrolled_at is None:  # not stated by the event: it counts from when it was heard
            self.enrolled_at = since

    def _remember(self, enrolment: Enrolment) -> None:
        if enrolment.enrolment_id is not None:
            self.enrolment_ids = self.enrolment_ids | {enrolment.enrolment_id}

    def _require_active(self, change: str) -> None:
        if not self.holds_a_spot:
            raise StayMustBeActive(
                f"cannot {change}: participant {self.participant_id} is {self.status.value}, their stay "
                "has ended (needs placed, waitlisted or between_placements)"
            )

    def _require_placed(self, change: str) -> None:
        if self.status is not PlacementStatus.PLACED:
            self._require_active(change)
            raise ParticipantMustBePlaced(
                f"cannot {change}: participant {self.participant_id} is {self.status.value}, needs placed"
            )

    def _require_ended(self, change: str) -> None:
        if self.holds_a_spot:
            raise StatusMustAllowChange(
                f"cannot {change} of participant {self.participant_id}: status is {self.status.value}, "
                "the stay is still active"
            )

    def _require(self, status: PlacementStatus, change: str) -> None:
        if self.status is not status:
            raise StatusMustAllowChange(
                f"cannot {change} of participant {self.participant_id}: status is {self.status.value}, "
                f"needs {status.value}"
            )
