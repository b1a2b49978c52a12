"""Who is told, with a staff directory: the rules for each kind, the participant's caseworker (from
intake's assignment, which may come before or after the event), the workshop's lead, a role, a
person named by a rule changed at run time — each in their own language and channel, each once.

The directory (helpers.put_directory): caseworker anna (English, mail), workshop lead ben (German,
mail), intake cem (inbox only), manager dora (mail). The office (STAFF_EMAIL) is told only when a
rule finds nobody.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration.notifications.conftest import STAFF_EMAIL, SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    ADMIN,
    ANNA,
    BEN,
    CEM,
    DORA,
    MAIL_OF,
    OFFICE,
    ROLE_OF,
    assigned,
    expected_message_id,
    inbox_of,
    integrated,
    list_deliveries,
    mails_to,
    message_id,
    placed,
    put_directory,
    staff,
    text_of,
    to_office,
    to_staff,
    wait_for_deliveries,
    wait_until_assigned,
    waitlisted,
)
from tests.support.service_app import eventually
from tests.support.tokens import auth_header

pytestmark = pytest.mark.integration

PLACEMENT_EN = "[werkstattnetz] Placement – bicycle & metal"
PLACEMENT_DE = "[werkstattnetz] Platzierung – Fahrrad und Metall"


async def test_a_placement_tells_the_caseworker_and_the_workshop_lead_each_in_their_language(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    participant = uuid.uuid4()
    placement = placed(participant, workshop_lead=BEN)
    async with start_notifications(smtp_server) as service:
        await put_directory(service)
        await service.publish_intake_event(assigned(participant, ANNA))
        await wait_until_assigned(service, participant)
        await service.publish_placement_event(placement)

        await smtp_server.wait_for_mails(2)
        await wait_for_deliveries(service, 2, status="sent")
        await asyncio.sleep(1.0)  # room for a wrong third mail (the office) to show up
        deliveries = await list_deliveries(service)
        inboxes = {subject: await inbox_of(service, subject, ROLE_OF[subject]) for subject in ROLE_OF}
        # An item id of someone else's changes nothing and says nothing about it.
        [bens_item] = inboxes[BEN]
        marked = await service.client.post(
            "/v1/inbox/read",
            json={"item_ids": [bens_item["item_id"]]},
            headers=auth_header("caseworker", subject=ANNA),
        )
        bens_after = await inbox_of(service, BEN, ROLE_OF[BEN])

    mails = smtp_server.mails
    assert len(mails) == 2
    assert mails_to(mails, STAFF_EMAIL) == []
    [to_anna] = mails_to(mails, MAIL_OF[ANNA])
    assert to_anna["Subject"] == PLACEMENT_EN
    assert to_anna["Content-Language"] == "en"
    assert "A participant has been placed in a workshop." in text_of(to_anna)
    assert message_id(to_anna) == expected_message_id(placement, "placement", staff(ANNA))
    [to_ben] = mails_to(mails, MAIL_OF[BEN])
    assert to_ben["Subject"] == PLACEMENT_DE
    assert to_ben["Content-Language"] == "de"
    assert "wurde in einer Werkstatt platziert" in text_of(to_ben)
    assert message_id(to_ben) == expected_message_id(placement, "placement", staff(BEN))
    assert to_anna.get_body(preferencelist=("html",)) is not None  # text and HTML

    # The caseworker was known when the placement arrived: nothing waited, nobody else was told.
    assert sorted(
        (d["recipient_kind"], d["recipient_subject"], d["recipient"], d["language"], d["status"])
        for d in deliveries
    ) == [
        ("staff", ANNA, MAIL_OF[ANNA], "en", "sent"),
        ("staff", BEN, MAIL_OF[BEN], "de", "sent"),
    ]

    [annas_item] = inboxes[ANNA]
    assert (annas_item["kind"], annas_item["participant_id"]) == ("placement", str(participant))
    assert annas_item["title"] == PLACEMENT_EN
    assert annas_item["link"].endswith(f"/participants/{participant}")
    assert (bens_item["kind"], bens_item["title"]) == ("placement", PLACEMENT_DE)
    assert annas_item["item_id"] != bens_item["item_id"]
    assert inboxes[CEM] == inboxes[DORA] == []
    assert marked.status_code == 200, marked.text
    assert marked.json()["marked"] == 0
    assert bens_after[0]["read_at"] is None


async def test_a_caseworker_assigned_after_the_placement_gets_the_message_that_waited(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    participant = uuid.uuid4()
    placement = placed(participant, workshop_lead=BEN)
    async with start_notifications(smtp_server) as service:
        await put_directory(service)
        await service.publish_placement_event(placement)
        await smtp_server.wait_for_mails(1)  # ben's
        await wait_for_deliveries(service, 1, status="awaiting_recipient")
        [waiting] = await list_deliveries(service, status="awaiting_recipient")
        annas_inbox_before = await inbox_of(service, ANNA)

        await service.publish_intake_event(assigned(participant, ANNA))
        await smtp_server.wait_for_mails(2)
        await wait_for_deliveries(service, 2, status="sent")
        await asyncio.sleep(1.0)  # room for a wrong office mail to show up
        deliveries = await list_deliveries(service)
        annas_inbox = await inbox_of(service, ANNA)

    assert (waiting["recipient"], waiting["recipient_subject"], waiting["attempts"]) == ("", None, 0)
    assert annas_inbox_before == []
    mails = smtp_server.mails
    assert len(mails) == 2
    assert mails_to(mails, STAFF_EMAIL) == []
    [to_anna] = mails_to(mails, MAIL_OF[ANNA])
    assert (to_anna["Subject"], to_anna["Content-Language"]) == (PLACEMENT_EN, "en")
    assert message_id(to_anna) == expected_message_id(placement, "placement", staff(ANNA))
    # The waiting delivery itself was addressed: still one row per recipient.
    [annas] = to_staff(deliveries, ANNA)
    assert annas["delivery_id"] == waiting["delivery_id"]
    assert (annas["status"], annas["language"], annas["subject"]) == ("sent", "en", PLACEMENT_EN)
    assert len(deliveries) == 2
    [item] = annas_inbox
    assert (item["kind"], item["participant_id"]) == ("placement", str(participant))


async def test_without_an_assignment_in_time_the_office_is_told_instead(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    participant = uuid.uuid4()
    placement = placed(participant, workshop_lead=BEN)
    async with start_notifications(smtp_server, caseworker_wait_s=1.0) as service:
        await put_directory(service)
        await service.publish_placement_event(placement)
        await smtp_server.wait_for_mails(2)  # ben's at once, the office's after the wait
        await wait_for_deliveries(service, 2, status="sent")
        # An assignment too late finds nothing waiting any more: nobody is told twice.
        await service.publish_intake_event(assigned(participant, ANNA))
        await wait_until_assigned(service, participant)
        await asyncio.sleep(1.5)
        deliveries = await list_deliveries(service)

    mails = smtp_server.mails
    assert len(mails) == 2
    assert mails_to(mails, MAIL_OF[ANNA]) == []
    [to_office_mail] = mails_to(mails, STAFF_EMAIL)
    assert to_office_mail["Subject"] == PLACEMENT_DE
    assert message_id(to_office_mail) == expected_message_id(placement, "placement", OFFICE)
    [office] = to_office(deliveries)
    assert office["status"] == "sent"
    assert [d["status"] for d in to_staff(deliveries, BEN)] == ["sent"]
    assert len(deliveries) == 2


async def test_a_waitlisting_tells_intake_in_the_inbox_only(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    waitlisting = waitlisted()
    async with start_notifications(smtp_server) as service:
        await put_directory(service)
        await service.publish_placement_event(waitlisting)

        async def in_cems_inbox() -> bool:
            return bool(await inbox_of(service, CEM, "intake"))

        await eventually(in_cems_inbox, what="the waitlisting in cem's inbox")
        await asyncio.sleep(1.0)  # room for a wrong mail to show up
        [item] = await inbox_of(service, CEM, "intake")
        deliveries = await list_deliveries(service)
        unread = await service.client.get(
            "/v1/inbox/unread-count", headers=auth_header("intake", subject=CEM)
        )

    assert (item["kind"], item["participant_id"]) == ("waitlisting", str(waitlisting.participant_id))
    assert item["title"] == "[werkstattnetz] Warteliste – Betreuung und Pflege"
    assert "position" not in item["facts"]
    assert unread.json() == {"unread_count": 1}
    assert smtp_server.mails == []
    assert deliveries == []  # cem reads the inbox only, and the rule found someone: no office mail


async def test_rules_changed_through_the_api_apply_to_the_next_event_without_a_restart(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    before, between, after = integrated(), integrated(), integrated()
    async with start_notifications(smtp_server) as service:
        await put_directory(service)
        await service.publish_outcomes_event(before)  # the default rule: the manager
        await smtp_server.wait_for_mails(1)

        created = await service.client.post(
            "/v1/rules",
            json={"kind": "integration", "audience": "person", "subject": ANNA, "channel": "email"},
            headers=ADMIN,
        )
        assert created.status_code == 201, created.text
        await service.publish_outcomes_event(between)  # the manager and anna
        await smtp_server.wait_for_mails(3)

        rules = await service.client.get("/v1/rules", params={"kind": "integration"}, headers=ADMIN)
        [managers_rule] = [rule for rule in rules.json() if rule["audience"] == "role"]
        removed = await service.client.delete(f"/v1/rules/{managers_rule['rule_id']}", headers=ADMIN)
        assert removed.status_code == 204, removed.text
        await service.publish_outcomes_event(after)  # anna only
        await smtp_server.wait_for_mails(4)
        await asyncio.sleep(1.0)  # room for a wrong fifth mail to show up
        annas_inbox = await inbox_of(service, ANNA)

    mails = smtp_server.mails
    assert len(mails) == 4
    assert sorted(message_id(m) for m in mails_to(mails, MAIL_OF[DORA])) == sorted(
        expected_message_id(envelope, "integration", staff(DORA)) for envelope in (before, between)
    )
    assert sorted(message_id(m) for m in mails_to(mails, MAIL_OF[ANNA])) == sorted(
        expected_message_id(envelope, "integration", staff(ANNA)) for envelope in (between, after)
    )
    assert {m["Subject"] for m in mails_to(mails, MAIL_OF[ANNA])} == {
        "[werkstattnetz] Integration achieved – apprenticeship"
    }
    assert sorted(item["participant_id"] for item in annas_inbox) == sorted(
        str(envelope.participant_id) for envelope in (between, after)
    )
