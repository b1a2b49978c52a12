"""When staff are told: quiet hours hold back what is not urgent, a digest bundles a day's messages
into one mail, and an offer's reminder waits for its moment and is dropped once the offer is
answered.

Waiting for a real quiet-hours end, digest time or reminder moment would take hours; where a test
needs the moment to come, it moves the rows' `next_attempt_at` into the past with SQL — exactly
what the passing of time does to them — and lets the real dispatcher take it from there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

from notifications.domain.delivery import message_id_for
from tests.integration.notifications.conftest import MAIL_FROM, STAFF_EMAIL, SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    ADMIN,
    ANNA,
    BEN,
    CEM,
    MAIL_OF,
    absences,
    assigned,
    declined,
    expected_message_id,
    inbox_of,
    list_deliveries,
    mails_to,
    message_id,
    of_trigger,
    offered,
    placed,
    put_directory,
    put_staff_member,
    query,
    staff,
    text_of,
    to_staff,
    wait_for_deliveries,
    wait_until_assigned,
    waitlisted,
)
from tests.support.service_app import eventually

pytestmark = pytest.mark.integration

BERLIN = ZoneInfo("Europe/Berlin")  # the service's TIMEZONE default


def parsed(moment: str) -> dt.datetime:
    return dt.datetime.fromisoformat(moment)


async def test_quiet_hours_hold_back_what_is_not_urgent_and_let_urgent_news_through(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    local_now = dt.datetime.now(BERLIN)
    quiet_from = (local_now - dt.timedelta(hours=1)).strftime("%H:%M")
    # The quiet hours end two hours from now (on the minute); may be after midnight.
    quiet_end = (local_now + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    participant = uuid.uuid4()
    placement = placed(participant, workshop_lead=BEN)
    absent = absences(participant)  # the default absences rule is urgent
    async with start_notifications(smtp_server) as service:
        await put_directory(service, quiet_hours={"from": quiet_from, "until": quiet_end.strftime("%H:%M")})
        await service.publish_intake_event(assigned(participant, ANNA))
        await wait_until_assigned(service, participant)
        await service.publish_placement_event(placement)
        await service.publish_placement_event(absent)

        await smtp_server.wait_for_mails(2)  # ben's placement, anna's absences
        await asyncio.sleep(1.0)  # room for a wrong mail to anna to show up
        deliveries = await list_deliveries(service)
        annas_inbox = await inbox_of(service, ANNA)

    mails = smtp_server.mails
    assert len(mails) == 2
    [to_anna] = mails_to(mails, MAIL_OF[ANNA])
    assert message_id(to_anna) == expected_message_id(absent, "absences", staff(ANNA))
    assert to_anna["Subject"] == "[werkstattnetz] Absences – 3 unexcused days absent"
    assert len(mails_to(mails, MAIL_OF[BEN])) == 1  # ben has no quiet hours

    [held_back] = to_staff(of_trigger(deliveries, placement), ANNA)
    assert (held_back["status"], held_back["attempts"]) == ("pending", 0)
    assert parsed(held_back["next_attempt_at"]) == quiet_end  # (equal across DST unless it switches now)
    # The inbox is not held back: it is read when one chooses to.
    assert sorted(item["kind"] for item in annas_inbox) == ["absences", "placement"]


async def test_a_digest_bundles_the_days_messages_into_one_mail(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    # Twelve hours away: never "now" while the test runs, so the rows surely wait for it.
    digest_time = (dt.datetime.now(BERLIN) + dt.timedelta(hours=12)).strftime("%H:%M")
    waitlistings = [waitlisted() for _ in range(3)]
    async with start_notifications(smtp_server, digest_time=digest_time) as service:
        await put_directory(service)
        rule = {
            "kind": "waitlisting",
            "audience": "person",
            "subject": ANNA,
            "channel": "email",
            "timing": "digest",
        }
        created = await service.client.post("/v1/rules", json=rule, headers=ADMIN)
        assert created.status_code == 201, created.text
        for envelope in waitlistings:
            await service.publish_placement_event(envelope)

        async def three_collected() -> bool:
            return len(await list_deliveries(service, status="pending")) == 3

        await eventually(three_collected, what="three digest rows for anna")
        collected = await list_deliveries(service)
        await asyncio.sleep(1.0)
        assert smtp_server.mails == []  # nothing goes before digest time

        # Digest time has come (see the module's docstring).
        await query(
            service,
            "UPDATE deliveries SET next_attempt_at = now() - interval '1 second' "
            "WHERE timing = 'digest' AND status = 'pending'",
        )
        [digest_mail] = await smtp_server.wait_for_mails(1)
        await wait_for_deliveries(service, 1, status="sent")
        await asyncio.sleep(1.0)  # room for a wrong second digest to show up
        deliveries = await list_deliveries(service)
        annas_inbox = await inbox_of(service, ANNA)

    for row in collected:
        assert (row["recipient_subject"], row["notification_kind"]) == (ANNA, "waitlisting")
        due = parsed(row["next_attempt_at"]).astimezone(BERLIN)
        assert due.strftime("%H:%M") == digest_time
        assert dt.timedelta(0) < due - dt.datetime.now(BERLIN) < dt.timedelta(hours=24)

    assert len(smtp_server.mails) == 1
    assert digest_mail["To"] == MAIL_OF[ANNA]
    assert "Digest: 3 notifications" in digest_mail["Subject"]
    body = text_of(digest_mail)
    for envelope in waitlistings:
        assert str(envelope.participant_id) in body
    [digest] = [d for d in deliveries if d["notification_kind"] == "digest"]
    assert (digest["status"], digest["recipient_subject"], digest["language"]) == ("sent", ANNA, "en")
    assert message_id(digest_mail) == expected_digest_message_id(digest["trigger_event_id"])
    bundled = [d for d in deliveries if d["notification_kind"] == "waitlisting"]
    assert sorted(d["status"] for d in bundled) == ["in_digest"] * 3
    assert len(deliveries) == 4
    # The inbox items came at once; only the mail waited for the digest.
    assert len(annas_inbox) == 3


def expected_digest_message_id(digest_event_id: str) -> str:
    return message_id_for(uuid.UUID(digest_event_id), MAIL_FROM, "digest", staff(ANNA))


async def test_an_offer_is_told_to_intake_and_its_reminder_is_dropped_once_declined(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    lead = dt.timedelta(hours=24)  # OFFER_REMINDER_LEAD_H's default
    expires_at = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0)
    declined_offer, open_offer = uuid.uuid4(), uuid.uuid4()
    first, second = uuid.uuid4(), uuid.uuid4()
    eda = "in-eda"  # intake staff who want mail (cem reads the inbox only)
    async with start_notifications(smtp_server) as service:
        await put_directory(service)
        await put_staff_member(service, eda, email="eda@werkstatt.example", roles=["intake"])
        await service.publish_placement_event(offered(first, declined_offer, expires_at))
        open_reminder_trigger = offered(second, open_offer, expires_at)
        await service.publish_placement_event(open_reminder_trigger)
        offer_mails = await smtp_server.wait_for_mails(2)
        await wait_for_deliveries(service, 2, status="sent")
        reminders_before = await list_deliveries(service, status="pending")
        cems_inbox = await inbox_of(service, CEM, "intake")

        await service.publish_placement_event(declined(first, declined_offer))

        async def reminder_cancelled() -> bool:
            return bool(await list_deliveries(service, status="cancelled"))

        await eventually(reminder_cancelled, what="the declined offer's reminder cancelled")
        # The reminder moment has come for both (see the module's docstring).
        await query(
            service,
            "UPDATE deliveries SET next_attempt_at = now() - interval '1 second' "
            "WHERE notification_kind = 'offer_expiring'",
        )
        await smtp_server.wait_for_mails(3)
        await asyncio.sleep(1.0)  # room for the cancelled reminder to be sent wrongly
        deliveries = await list_deliveries(service)
        cems_inbox_after = await inbox_of(service, CEM, "intake")

    for mail in offer_mails:
        assert mail["To"] == "eda@werkstatt.example"
        assert mail["Subject"].startswith("[werkstattnetz] Platzangebot – Betreuung und Pflege, gültig bis ")
    assert {mail["To"] for mail in smtp_server.mails} == {"eda@werkstatt.example"}
    assert mails_to(smtp_server.mails, STAFF_EMAIL) == []
    assert sorted(item["kind"] for item in cems_inbox) == ["seat_offered"] * 2

    # Each reminder: a mail to eda, and inbox items for eda and cem, all due a day before the end.
    assert sorted((d["channel"], d["recipient_subject"]) for d in reminders_before) == sorted(
        [("email", eda), ("inbox", eda), ("inbox", CEM)] * 2
    )
    for reminder in reminders_before:
        assert reminder["notification_kind"] == "offer_expiring"
        assert parsed(reminder["next_attempt_at"]) == expires_at - lead

    [reminder_mail] = [m for m in smtp_server.mails if m not in offer_mails]
    reminders = [d for d in deliveries if d["notification_kind"] == "offer_expiring"]
    [open_reminder] = [d for d in reminders if d["participant_id"] == str(second) and d["channel"] == "email"]
    assert open_reminder["status"] == "sent"
    assert reminder_mail["Subject"].startswith("[werkstattnetz] Platzangebot läuft ab – Betreuung und Pflege")
    assert str(second) in text_of(reminder_mail)
    assert message_id(reminder_mail) == expected_message_id(
        open_reminder_trigger, "offer_expiring", staff(eda)
    )
    for dropped in (d for d in reminders if d["participant_id"] == str(first)):
        assert (dropped["status"], dropped["attempts"], dropped["sent_at"]) == ("cancelled", 0, None)
        assert dropped["last_error"] == "the offer was answered or expired"
    # The inbox-only intake member sees the open offer's reminder once it is due, not the dropped one.
    reminded = [item for item in cems_inbox_after if item["kind"] == "offer_expiring"]
    assert [item["participant_id"] for item in reminded] == [str(second)]


async def test_news_waiting_for_the_caseworker_keeps_the_rules_urgency(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    """Absences (urgent) and a placement (not) arrive before intake's assignment; once anna is
    assigned, the absences go out at once despite her quiet hours, the placement waits for their end."""
    local_now = dt.datetime.now(BERLIN)
    quiet_from = (local_now - dt.timedelta(hours=1)).strftime("%H:%M")
    quiet_end = (local_now + dt.timedelta(hours=2)).replace(second=0, microsecond=0)
    participant = uuid.uuid4()
    placement = placed(participant, workshop_lead=BEN)
    absent = absences(participant)
    async with start_notifications(smtp_server) as service:
        await put_directory(service, quiet_hours={"from": quiet_from, "until": quiet_end.strftime("%H:%M")})
        await service.publish_placement_event(placement)
        await service.publish_placement_event(absent)
        await smtp_server.wait_for_mails(1)  # ben's placement; anna is not known yet
        await service.publish_intake_event(assigned(participant, ANNA))
        await smtp_server.wait_for_mails(2)
        await asyncio.sleep(1.0)  # room for a wrong mail to anna to show up
        deliveries = await list_deliveries(service)

    [to_anna] = mails_to(smtp_server.mails, MAIL_OF[ANNA])
    assert message_id(to_anna) == expected_message_id(absent, "absences", staff(ANNA))
    [held_back] = to_staff(of_trigger(deliveries, placement), ANNA)
    assert (held_back["status"], parsed(held_back["next_attempt_at"])) == ("pending", quiet_end)
    assert mails_to(smtp_server.mails, STAFF_EMAIL) == []
