"""Has the system worked off the stream yet? Counted from the services' databases alone.

Settled means: every outbox published; every enrolment known to placement and outcomes; every exit
handled by placement and intake; every placement event handled by outcomes; every notified event
mailed (to the office: nobody is in the staff directory here) and nothing due left unsent (an
expiring offer's reminder a day before its end is not due yet).
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.e2e.chaos_evidence import OUTBOX_PENDING, fetch_value
from tests.e2e.chaos_system import ChaosSystem


@dataclass(frozen=True)
class Progress:
    """How far the system got in working off the stream, from the databases alone."""

    pending_outbox_rows: int
    enrolled: int  # in intake
    placement_knows: int
    outcomes_knows: int
    exits: int
    exits_handled_by_placement: int
    exits_handled_by_intake: int
    placement_events: int  # for outcomes: placed, waitlisted, ended
    placement_events_handled_by_outcomes: int
    notified_events: int
    events_mailed: int
    deliveries_due: int

    @property
    def settled(self) -> bool:
        return (
            self.pending_outbox_rows == 0
            and self.enrolled == self.placement_knows == self.outcomes_knows
            and self.exits == self.exits_handled_by_placement == self.exits_handled_by_intake
            and self.placement_events == self.placement_events_handled_by_outcomes
            and self.notified_events == self.events_mailed
            and self.deliveries_due == 0
        )

    def __str__(self) -> str:
        return (
            f"outbox backlog {self.pending_outbox_rows}; enrolled {self.enrolled}, known to placement "
            f"{self.placement_knows}, to outcomes {self.outcomes_knows}; exits {self.exits}, handled by "
            f"placement {self.exits_handled_by_placement}, by intake {self.exits_handled_by_intake}; "
            f"placement events {self.placement_events}, handled by outcomes "
            f"{self.placement_events_handled_by_outcomes}; notified events {self.notified_events}, "
            f"mailed {self.events_mailed}, deliveries due {self.deliveries_due}"
        )


async def progress(system: ChaosSystem) -> Progress:
    intake, placement, outcomes, notifications = (
        system.services[name].database_url for name in ("intake", "placement", "outcomes", "notifications")
    )
    pending = [await fetch_value(url, OUTBOX_PENDING) for url in (intake, placement, outcomes, notifications)]
    notified = "('ParticipantPlaced', 'ParticipantWaitlisted', 'PlacementOffered')"
    told_to_outcomes = "('ParticipantPlaced', 'ParticipantWaitlisted', 'PlacementEnded')"
    return Progress(
        pending_outbox_rows=sum(pending),
        enrolled=await fetch_value(intake, "SELECT count(*) FROM referrals WHERE enrolment_id IS NOT NULL"),
        placement_knows=await fetch_value(
            placement, "SELECT count(*) FROM participants WHERE enrolled_on IS NOT NULL"
        ),
        outcomes_knows=await fetch_value(outcomes, "SELECT count(*) FROM stays"),  # one per enrolment
        exits=await fetch_value(outcomes, "SELECT count(*) FROM exits"),
        exits_handled_by_placement=await fetch_value(
            placement, "SELECT count(*) FROM inbox WHERE event_type = 'ParticipantExited'"
        ),
        exits_handled_by_intake=await fetch_value(
            intake, "SELECT count(*) FROM inbox WHERE event_type = 'ParticipantExited'"
        ),
        placement_events=await fetch_value(
            placement, f"SELECT count(*) FROM outbox WHERE event_type IN {told_to_outcomes}"
        ),
        placement_events_handled_by_outcomes=await fetch_value(
            outcomes, f"SELECT count(*) FROM inbox WHERE event_type IN {told_to_outcomes}"
        ),
        notified_events=await fetch_value(
            placement, f"SELECT count(*) FROM outbox WHERE event_type IN {notified}"
        )
        + await fetch_value(outcomes, "SELECT count(*) FROM outbox WHERE event_type = 'IntegrationAchieved'"),
        events_mailed=await fetch_value(
            notifications,
            "SELECT count(DISTINCT trigger_event_id) FROM deliveries "
            "WHERE status = 'sent' AND notification_kind <> 'offer_expiring'",
        ),
        deliveries_due=await fetch_value(
            notifications,
            "SELECT count(*) FROM deliveries "
            "WHERE status IN ('pending', 'awaiting_recipient') AND next_attempt_at <= now()",
        ),
    )
