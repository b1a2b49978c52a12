"""What placement knows about one participant: coarse enrolment facts and where they stand.

Only the pseudonymous id, the preferred work areas and the funder are kept; never personal data.

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
from placement.domain.errors import StatusMustAllowChange
from werkstattnetz_shared.events.vocabulary import Funder, WorkArea


class PlacementStatus(StrEnum):
    PLACED = "placed"
    WAITLISTED = "waitlisted"
    ENDED = "ended"
    LEFT_WAITLIST = "left_waitlist"
    EXITED_BEFORE_ENROLMENT = "exited_before_enrolment"


# A stay in one of these holds a seat or a waitlist spot: it is active until its exit arrives.
ACTIVE = frozenset({PlacementStatus.PLACED, PlacementStatus.WAITLISTED})


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

    @classmethod
    def placed_on_enrolment(
        cls, enrolment: Enrolment, work_area: WorkArea, on: dt.date | None = None
    ) -> Participant:
        participant = cls(enrolment.participant_id, PlacementStatus.PLACED, stay=0)
        participant._begin_stay(enrolment)
        participant._seat(work_area, on or enrolment.enrolled_on)
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
        """The stay described is active: it holds a seat or a waitlist spot until its exit."""
        return self.status in ACTIVE

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

    def start_stay_placed(self, enrolment: Enrolment, work_area: WorkArea, on: dt.date) -> None:
        """A new stay after the previous one ended (or after exits of stays never enrolled here)."""
        self._start_new_stay(enrolment)
        self._seat(work_area, on)

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

    def place_from_waitlist(self, on: dt.date) -> None:
        self._require(PlacementStatus.WAITLISTED, "place from the waitlist")
        self.status = PlacementStatus.PLACED
        self.placed_on = on
        self.from_waitlist = True

    def end_placement(self, on: dt.date) -> None:
        self._require(PlacementStatus.PLACED, "end the placement")
        self.status = PlacementStatus.ENDED
        self.ended_on = on
        self.exited_on = on

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
        self.enrolled_on = enrolment.enrolled_on
        self.work_area = self.placed_on = self.waiting_since = self.ended_on = self.exited_on = None
        self.from_waitlist = False
        self._remember(enrolment)

    def _seat(self, work_area: WorkArea, on: dt.date) -> None:
        self.status = PlacementStatus.PLACED
        self.work_area = work_area
        self.placed_on = on

    def _wait(self, since: dt.datetime) -> None:
        self.status = PlacementStatus.WAITLISTED
        self.work_area = self.preferred_work_areas[0]
        self.waiting_since = since

    def _remember(self, enrolment: Enrolment) -> None:
        if enrolment.enrolment_id is not None:
            self.enrolment_ids = self.enrolment_ids | {enrolment.enrolment_id}

    def _require_active(self, change: str) -> None:
        if not self.holds_a_spot:
            raise StatusMustAllowChange(
                f"cannot {change} of participant {self.participant_id}: status is {self.status.value}, "
                "needs placed or waitlisted"
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
