"""ParticipantDataErased: what notifications keeps about the person goes — inbox items, the
caseworker assignment, the texts and facts of the delivery log — while the log rows stay (who was
told what kind of thing when) and whatever was not sent yet is cancelled."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration.notifications.conftest import SmtpServer, StartNotifications
from tests.integration.notifications.helpers import (
    ANNA,
    BEN,
    CEM,
    ROLE_OF,
    assigned,
    erased,
    inbox_of,
    list_deliveries,
    placed,
    put_directory,
    query,
    wait_for_deliveries,
    wait_until_assigned,
    waitlisted,
)
from tests.support.service_app import eventually

pytestmark = pytest.mark.integration


async def test_erasure_empties_the_inboxes_and_blanks_the_log_but_keeps_its_rows(
    start_notifications: StartNotifications, smtp_server: SmtpServer
) -> None:
    person, unassigned, someone_else = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with start_notifications(smtp_server) as service:
        await put_directory(service)
        await service.publish_intake_event(assigned(person, ANNA))
        await wait_until_assigned(service, person)
        await service.publish_placement_event(placed(person, workshop_lead=BEN))  # anna and ben
        await service.publish_placement_event(waitlisted(person))  # cem's inbox
        await service.publish_placement_event(waitlisted(someone_else))  # cem's inbox
        # Nobody assigned: one delivery waits for the caseworker (never sent) besides ben's mail.
        await service.publish_placement_event(placed(unassigned, workshop_lead=BEN))
        await wait_for_deliveries(service, 3, status="sent")
        await wait_for_deliveries(service, 1, status="awaiting_recipient")

        async def in_cems_inbox() -> bool:
            return len(await inbox_of(service, CEM, "intake")) == 2

        await eventually(in_cems_inbox, what="two waitlistings in cem's inbox")

        await service.publish_intake_event(erased(person))
        await service.publish_intake_event(erased(unassigned))

        async def gone() -> bool:
            return not await inbox_of(service, ANNA) and not await list_deliveries(
                service, status="awaiting_recipient"
            )

        await eventually(gone, what="the erasure")
        await asyncio.sleep(0.5)
        inboxes = {
            subject: await inbox_of(service, subject, ROLE_OF[subject]) for subject in (ANNA, BEN, CEM)
        }
        deliveries = await list_deliveries(service)
        rows = await query(
            service, "SELECT participant_id, subject, body, html_body, facts::text AS facts FROM deliveries"
        )
        assignments = await query(service, "SELECT participant_id FROM caseworker_assignments")

    assert inboxes[ANNA] == inboxes[BEN] == []
    assert [item["participant_id"] for item in inboxes[CEM]] == [str(someone_else)]

    erased_ids = {str(person), str(unassigned)}
    theirs = [d for d in deliveries if d["participant_id"] in erased_ids]
    told = sorted(
        (d["participant_id"] == str(person), d["recipient_subject"] or "", d["status"]) for d in theirs
    )
    assert told == [
        (False, "", "cancelled"),  # the caseworker's, still waiting: cancelled, never sent
        (False, BEN, "sent"),
        (True, ANNA, "sent"),
        (True, BEN, "sent"),
    ]
    assert {d["subject"] for d in theirs} == {"(erased)"}
    for row in rows:
        if str(row["participant_id"]) in erased_ids:
            assert (row["body"], row["html_body"], row["facts"]) == ("", None, "{}")
    assert len(smtp_server.mails) == 3  # nothing more was sent for them
    assert assignments == []
