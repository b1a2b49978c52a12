"""The chaos test's numbers, printed at the end of every run (the closing note quotes them)."""

from __future__ import annotations

import bisect
import collections
from datetime import UTC, datetime

from tests.e2e.chaos_evidence import Evidence
from tests.e2e.chaos_traffic import Ledger

Action = tuple[float, datetime, str]


def crash_before(actions: list[Action], mail_file: str) -> str:
    """The last crash before a mail arrived (the SMTP sink names files by UTC arrival time)."""
    arrived = datetime.strptime(mail_file.split("-", 1)[0], "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
    crashes = [(at, what) for _, at, what in actions if what.startswith(("kill", "PostgreSQL"))]
    index = bisect.bisect_right([at for at, _ in crashes], arrived)
    if index == 0:
        return "before any crash"
    at, what = crashes[index - 1]
    return f"{(arrived - at).total_seconds():.1f}s after '{what}'"


def summary_lines(
    ledger: Ledger,
    evidence: Evidence,
    actions: list[Action],
    kills: dict[str, int],
    crashes: dict[str, int],
    stream_s: float,
    settle_s: float,
) -> list[str]:
    statuses = collections.Counter(row["status"] for row in evidence.placement_participants.values())
    from_waitlist = sum(
        1 for e in evidence.topics["placement"].of_type("ParticipantPlaced") if e.data["from_waitlist"]
    )
    integrated = sum(1 for row in evidence.outcomes_exits.values() if row["integrated"])
    copies = ", ".join(
        f"{name}.events {len(events.records)}/{len(events.unique)}"
        for name, events in evidence.topics.items()
    )
    mailbox = evidence.mailbox
    lines = [
        f"acknowledged enrolments: {len(ledger.enrolled)} of {ledger.referrals} referrals; after a lost "
        f"answer {ledger.enrolled_by_replay} were replayed (Idempotency-Key), {ledger.enrolled_by_409} "
        "learnt from a 409",
        f"exits recorded: {len(ledger.exits)}, {integrated} of them integrations; after a lost answer "
        f"{ledger.exits_by_replay} replayed, {ledger.exits_by_409} learnt from a 409",
        f"placement now: {dict(sorted(statuses.items()))}; placed from the waitlist: {from_waitlist}",
        f"kills: {', '.join(f'{name} {count}' for name, count in kills.items())}, "
        + ", ".join(
            f"{what}: {count}" for what, count in crashes.items() if "Kafka" in what or "Postgre" in what
        ),
        f"client retries: {dict(ledger.retries.most_common())}; answers lost on the way back on "
        f"purpose: {ledger.answers_lost}",
        f"stream {stream_s:.0f}s, time to settle {settle_s:.1f}s",
        f"records/distinct events per topic: {copies}",
        f"deliveries {len(evidence.deliveries)}, mails {mailbox.mails}, "
        f"duplicate mails {mailbox.mails - len(mailbox.arrivals)}",
    ]
    for message_id, files in mailbox.duplicated.items():
        lines.append(f"  mail {message_id} arrived {len(files)}x, first {crash_before(actions, files[0])}")
    return lines
