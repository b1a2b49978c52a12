"""The chaos test's verdicts: each function returns the broken promises it found (empty = kept).

They compare what the clients were told (`Ledger`) with what the databases, the topics and the
mailbox hold after the system settled (`Evidence`). Events are deduplicated by `event_id` first:
the relay publishes at least once, and a second copy of the same event is no second fact.
"""

from __future__ import annotations

import collections
import datetime as dt
import uuid
from collections.abc import Iterable

import asyncpg

from tests.e2e.chaos_evidence import Evidence
from tests.e2e.chaos_traffic import Ledger

DECISIONS = ("ParticipantPlaced", "ParticipantWaitlisted")
NOTIFIED_BY_PLACEMENT = (*DECISIONS, "PlacementOffered")
REMINDER = "offer_expiring"  # of a PlacementOffered, due a day before the offer ends
NOTIFIED_BY_OUTCOMES = ("IntegrationAchieved",)
# Placement status → (distinct ParticipantPlaced, distinct PlacementEnded) it must have published.
EXPECTED_PLACEMENT_EVENTS = {
    "placed": (1, 0),
    "waitlisted": (0, 0),
    "ended": (1, 1),
    "left_waitlist": (0, 0),
}


def _some(ids: Iterable[object], limit: int = 5) -> str:
    listed = sorted(map(str, ids))
    return ", ".join(listed[:limit]) + (f" … ({len(listed)} in all)" if len(listed) > limit else "")


def acknowledged_enrolments_kept(ledger: Ledger, evidence: Evidence) -> list[str]:
    problems = []
    if lost := set(ledger.enrolled) - set(evidence.intake_enrolled):
        problems.append(f"acknowledged enrolments missing in intake's database: {_some(lost)}")
    if wrong := {p for p, r in ledger.enrolled.items() if evidence.intake_enrolled.get(p, r) != r}:
        problems.append(f"participant ids belonging to another referral than acknowledged: {_some(wrong)}")
    enrolled_events = evidence.topics["intake"].by_participant("ParticipantEnrolled")
    if not_once := {p for p in evidence.intake_enrolled if len(enrolled_events.get(p, [])) != 1}:
        problems.append(
            f"enrolments without exactly one ParticipantEnrolled on intake.events: {_some(not_once)}"
        )
    if phantoms := set(enrolled_events) - set(evidence.intake_enrolled):
        problems.append(f"ParticipantEnrolled for people intake has not enrolled: {_some(phantoms)}")
    placement_knows = {p for p, row in evidence.placement_participants.items() if row["enrolled_on"]}
    if unknown := set(evidence.intake_enrolled) - placement_knows:
        problems.append(f"enrolled people placement has no participants row for: {_some(unknown)}")
    return problems


def every_outbox_row_published(evidence: Evidence) -> list[str]:
    problems = []
    for service, outbox in evidence.outboxes.items():
        on_topic = set(evidence.topics[service].unique)
        if missing := outbox - on_topic:
            problems.append(f"{service}: outbox events never published to {service}.events: {_some(missing)}")
        if foreign := on_topic - outbox:
            problems.append(f"{service}.events holds events {service}'s outbox never had: {_some(foreign)}")
    return problems


def one_decision_per_enrolment(evidence: Evidence) -> list[str]:
    """Exactly one ParticipantPlaced/ParticipantWaitlisted caused by each ParticipantEnrolled."""
    placement = evidence.topics["placement"]
    caused_by: dict[uuid.UUID, list[uuid.UUID]] = collections.defaultdict(list)
    for decision in placement.of_type(*DECISIONS):
        if decision.causation_id is not None:
            caused_by[decision.causation_id].append(decision.event_id)
    problems = []
    not_once = {
        enrolled.participant_id: len(caused_by.get(enrolled.event_id, []))
        for enrolled in evidence.topics["intake"].of_type("ParticipantEnrolled")
        if len(caused_by.get(enrolled.event_id, [])) != 1
    }
    if not_once:
        problems.append(f"enrolments without exactly one placement decision (participant: count): {not_once}")
    placed = placement.by_participant("ParticipantPlaced")
    ended = placement.by_participant("PlacementEnded")
    for participant_id, row in evidence.placement_participants.items():
        expected = EXPECTED_PLACEMENT_EVENTS.get(row["status"])
        published = (len(placed.get(participant_id, [])), len(ended.get(participant_id, [])))
        if expected is None or published != expected:
            problems.append(
                f"participant {participant_id} is {row['status']} in placement but "
                f"placement.events holds {published[0]} ParticipantPlaced and {published[1]} PlacementEnded"
            )
    return problems


def seats_within_capacity_and_used(evidence: Evidence) -> list[str]:
    """A seat is held by a placed person or by an open offer to someone waiting; never more holders
    than seats, and no seat neither held nor offered while someone waits for the area."""
    people = evidence.placement_participants
    seated = collections.Counter(r["work_area"] for r in people.values() if r["status"] == "placed")
    offered = collections.Counter(evidence.open_offers.values())
    waiting = collections.Counter(
        r["work_area"]
        for participant_id, r in people.items()
        if r["status"] == "waitlisted" and participant_id not in evidence.open_offers
    )
    problems = []
    if not_waiting := {p for p in evidence.open_offers if people[p]["status"] != "waitlisted"}:
        problems.append(f"open seat offers to people who do not wait: {_some(not_waiting)}")
    for area, seats in evidence.workshops.items():
        held = seated[area] + offered[area]
        if held > seats:
            problems.append(f"{area}: {seated[area]} placed and {offered[area]} offered on {seats} seats")
        if waiting[area] and held < seats:
            problems.append(f"{area}: {seats - held} free seats while {waiting[area]} people wait")
    return problems


def exits_recorded_once_and_seats_freed(ledger: Ledger, evidence: Evidence) -> list[str]:
    problems = []
    recorded = evidence.outcomes_exits
    if lost := set(ledger.exits) - set(recorded):
        problems.append(f"acknowledged exits missing in outcomes' database: {_some(lost)}")
    if unasked := set(recorded) - set(ledger.exits):
        problems.append(f"exits in outcomes' database no client was told about: {_some(unasked)}")
    if wrong := {
        p for p, d in ledger.exits.items() if p in recorded and recorded[p]["destination"] != d.value
    }:
        problems.append(f"exits recorded with another destination than acknowledged: {_some(wrong)}")
    outcomes = evidence.topics["outcomes"]
    exited_events = outcomes.by_participant("ParticipantExited")
    if not_once := {
        p for p in set(recorded) | set(exited_events) if len(exited_events.get(p, [])) != (p in recorded)
    }:
        problems.append(
            f"exits without exactly one ParticipantExited (or one without exit): {_some(not_once)}"
        )
    achieved = outcomes.by_participant("IntegrationAchieved")
    integrated = {p for p, row in recorded.items() if row["integrated"]}
    if not_once := {p for p in integrated | set(achieved) if len(achieved.get(p, [])) != (p in integrated)}:
        problems.append(f"integrations without exactly one IntegrationAchieved: {_some(not_once)}")
    still_holding = {
        p
        for p in recorded
        if p not in evidence.placement_participants
        or evidence.placement_participants[p]["status"] not in ("ended", "left_waitlist")
    }
    if still_holding:
        problems.append(
            f"exited people who still hold a seat or waitlist spot in placement: {_some(still_holding)}"
        )
    if unheard := set(recorded) - evidence.intake_left:
        problems.append(f"exits whose enrolment intake did not end: {_some(unheard)}")
    if ended_alone := evidence.intake_left - set(recorded):
        problems.append(f"enrolments intake ended without an exit: {_some(ended_alone)}")
    return problems


def one_delivery_per_notified_event(evidence: Evidence) -> list[str]:
    """Nobody is in the staff directory here, so every notified event is mailed to the office once;
    a placement's wait for the responsible caseworker ends at the office too and is cancelled
    there (the office has its mail already). An offer's reminder falls due a day before the offer
    ends: still pending then, or sent, or cancelled once the offer was answered or expired."""
    notified = {
        *(e.event_id for e in evidence.topics["placement"].of_type(*NOTIFIED_BY_PLACEMENT)),
        *(e.event_id for e in evidence.topics["outcomes"].of_type(*NOTIFIED_BY_OUTCOMES)),
    }
    news = [row for row in evidence.deliveries if row["notification_kind"] != REMINDER]
    sent = [row for row in news if row["status"] == "sent"]
    problems = []
    if missing := notified - {row["trigger_event_id"] for row in sent}:
        problems.append(f"notified events without a sent delivery: {_some(missing)}")
    if unasked := {row["trigger_event_id"] for row in evidence.deliveries} - notified:
        problems.append(f"deliveries for events not on the topics: {_some(unasked)}")
    if twice := [
        t for t, n in collections.Counter(row["trigger_event_id"] for row in sent).items() if n != 1
    ]:
        problems.append(f"events mailed to the office more than once: {_some(twice)}")
    now = dt.datetime.now(dt.UTC)
    unfinished = collections.Counter(
        row["status"]
        for row in evidence.deliveries
        if row["status"] not in ("sent", "cancelled") and not _reminder_not_due(row, now)
    )
    if unfinished:
        problems.append(f"deliveries that did not end sent (or cancelled): {dict(unfinished)}")
    sent_events = collections.Counter(
        uuid.UUID(e.data["delivery_id"]) for e in evidence.topics["notifications"].of_type("NotificationSent")
    )
    all_sent = {row["delivery_id"] for row in evidence.deliveries if row["status"] == "sent"}
    if not_once := {d for d in all_sent | set(sent_events) if sent_events[d] != 1}:
        problems.append(f"sent deliveries without exactly one NotificationSent: {_some(not_once)}")
    return problems


def _reminder_not_due(row: asyncpg.Record, now: dt.datetime) -> bool:
    return bool(
        row["notification_kind"] == REMINDER and row["status"] == "pending" and row["next_attempt_at"] > now
    )


def one_mail_per_delivery(evidence: Evidence, *, duplicates_allowed: int) -> list[str]:
    expected = {row["message_id"] for row in evidence.deliveries if row["status"] == "sent"}
    mailbox = evidence.mailbox
    problems = []
    if missing := expected - set(mailbox.arrivals):
        problems.append(f"deliveries whose mail never arrived: {_some(missing)}")
    if unasked := set(mailbox.arrivals) - expected:
        problems.append(f"mails no delivery accounts for: {_some(unasked)}")
    if (duplicates := mailbox.mails - len(mailbox.arrivals)) > duplicates_allowed:
        problems.append(
            f"{duplicates} mails sent twice, more than the {duplicates_allowed} crashes that can open the "
            f"mail window: {mailbox.duplicated}"
        )
    return problems


def nothing_left_behind(evidence: Evidence) -> list[str]:
    problems = [
        f"{service}: {rows} outbox rows unpublished"
        for service, rows in evidence.pending_outbox_rows.items()
        if rows
    ]
    for topic, count in evidence.dead_letters.items():
        if count < 0:
            problems.append(f"{topic} does not exist")
        elif count > 0:
            problems.append(f"{topic} holds {count} dead letters")
    return problems


def all_verdicts(ledger: Ledger, evidence: Evidence, *, mail_duplicates_allowed: int) -> list[str]:
    return [
        *(f"HTTP: {answer}" for answer in ledger.unexpected),
        *acknowledged_enrolments_kept(ledger, evidence),
        *every_outbox_row_published(evidence),
        *one_decision_per_enrolment(evidence),
        *seats_within_capacity_and_used(evidence),
        *exits_recorded_once_and_seats_freed(ledger, evidence),
        *one_delivery_per_notified_event(evidence),
        *one_mail_per_delivery(evidence, duplicates_allowed=mail_duplicates_allowed),
        *nothing_left_behind(evidence),
    ]
