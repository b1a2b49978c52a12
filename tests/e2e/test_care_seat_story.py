"""The end-to-end story, across all four services as real processes.

With one seat in `care`, three young people who prefer care are referred, interviewed, consent to
the processing of their data and are enrolled, co-funded by the Jobcenter and the city; Lea and Mia
get their caseworker at enrolment, Jonas his from a manager afterwards. Lea is placed, Jonas and
Mia wait. Lea exits into an apprenticeship: `IntegrationAchieved` is on `outcomes.events` and intake
hears she left. Her seat is offered to Jonas (`PlacementOffered`); nobody answers, the offer
expires (`OfferExpired`) and the seat is offered to Mia, whose offer staff accept: she is placed
and her workshop lead records her first day. Lea's six-month follow-up (seconds here) falls due,
is recorded as still in training, and the report's retention rate shows it; the live figures of
the faust-streaming worker agree with outcomes' report. Notifications tells the right person once
per event, in their language (`story_notifications`): Carla, the caseworker, reads English and
watches her inbox live (Server-Sent Events) as Lea is placed; the care workshop's lead, intake and
the manager read German; a funder's portal gets each placement as a signed webhook call; Jonas's
unanswered offer is reminded before it expires, Mia's accepted one is not. An admin erases Lea's
personal data: intake's file of her is gone (410), `ParticipantDataErased` is on `intake.events`,
and every answer and count of placement and outcomes stays as it was (notifications keeps the log
of her deliveries but drops their texts). The last chapter: someone placed two weeks
ago misses three working days in a row without excuse, and `AbsenceThresholdReached` is published
once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.e2e.conftest import RunningSystem
from tests.e2e.story_notifications import (
    CARLA,
    PORTAL_PATH,
    assert_no_personal_data,
    expected_mails,
    live_inbox_of,
    set_up_who_is_told,
    text_of,
    told,
)
from tests.support.intake_flows import ADMIN, MANAGER, consent, enrol, interview, refer
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually
from tests.support.tokens import auth_header
from tests.support.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.e2e

CASEWORKER = auth_header("caseworker", subject="carla.case")
MAILS_IN_THE_STORY = 11
CO_FUNDED = [
    {"funder": "jobcenter", "legal_basis": "sgb2_16_activation", "share_percent": 60},
    {"funder": "city", "legal_basis": "city", "share_percent": 40},
]


async def welcome(client: httpx.AsyncClient, first_name: str, *, caseworker: str | None = None) -> str:
    """Referral → interview → consent → enrolment (co-funded); the participant id from the referral on."""
    received = await refer(
        client,
        first_name=first_name,
        last_name="Beispiel",
        birth_date="2005-06-15",
        email=None,
        phone=None,
        referral_source="youth_office",
        referring_organisation="Jugendamt Leipzig",
        contact_person="Herr Wolf",
        preferred_work_areas=["care"],
    )
    participant_id = str(received["participant_id"])
    await interview(client, received["referral_id"], note="wants to work with older people")
    await consent(client, participant_id)
    enrolled = await enrol(client, received["referral_id"], funding=CO_FUNDED, caseworker=caseworker)
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["participant_id"] == participant_id
    assert enrolled.json()["enrolment"]["main_funder"] == "jobcenter"
    return participant_id


async def placement_of(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str
) -> dict[str, Any]:
    response = await client.get(
        f"{system.urls['placement']}/v1/participants/{participant_id}/placement", headers=CASEWORKER
    )
    return response.json() if response.status_code == 200 else {}


async def test_one_care_seat_three_young_people(system: RunningSystem) -> None:
    async with (
        httpx.AsyncClient(base_url=system.urls["intake"], timeout=10) as client,
        WebhookReceiver() as portal,
    ):
        await set_up_who_is_told(client, system, portal)
        async with live_inbox_of(system, CARLA, "caseworker") as carlas_inbox:
            first = await welcome(client, "Lea", caseworker="carla.case")
            await eventually(
                lambda: _status_is(client, system, first, "placed"), what="first person placed in care"
            )
            pushed = await carlas_inbox.wait_for(first, "placement")
            assert pushed["link"].endswith(f"/participants/{first}")
        await _portal_was_called_signed(portal, first)
        second = await welcome(client, "Jonas")
        assigned = await client.put(
            f"/v1/participants/{second}/caseworker", json={"caseworker": "kim.case"}, headers=MANAGER
        )
        assert assigned.status_code == 200, assigned.text
        await eventually(
            lambda: _status_is(client, system, second, "waitlisted"), what="second person waitlisted"
        )
        third = await welcome(client, "Mia", caseworker="carla.case")
        await eventually(
            lambda: _status_is(client, system, third, "waitlisted"), what="third person waitlisted"
        )
        care = await _care_workshop(client, system)
        assert (care["seats"], care["occupied"], care["waitlist_length"]) == (1, 1, 2)
        lea = await client.get(f"/v1/participants/{first}", headers=CASEWORKER)  # her caseworker
        assert lea.status_code == 200, lea.text
        assert (lea.json()["first_name"], lea.json()["caseworker"]) == ("Lea", "carla.case")
        not_his = await client.get(f"/v1/participants/{second}", headers=CASEWORKER)
        assert not_his.status_code == 404  # Jonas is kim.case's

        outcomes = system.urls["outcomes"]
        await eventually(
            lambda: _outcome_status_is(client, system, first, "placed"), what="outcomes knows the placement"
        )
        exit_response = await client.post(
            f"{outcomes}/v1/participants/{first}/exit",
            json={
                "destination": "apprenticeship",
                "exit_date": _berlin_today(),
                "reason": "found_placement",
                "next_step": "dual_apprenticeship",
            },
            headers=CASEWORKER,
        )
        assert exit_response.status_code == 201, exit_response.text
        assert exit_response.json()["integrated"] is True
        follow_up_id = exit_response.json()["follow_up"]["follow_up_id"]

        integration = await collect_events(
            system.bootstrap_servers,
            system.topic("outcomes.events"),
            until=lambda events: any(e.event_type == "IntegrationAchieved" for e in events),
        )
        achieved = [e for e in integration if e.event_type == "IntegrationAchieved"]
        assert [str(e.participant_id) for e in achieved] == [first]
        assert achieved[0].data["destination"] == "apprenticeship"
        assert achieved[0].data["work_area"] == "care"

        await _seat_offered_expires_and_passes_on(client, system, second, third)
        assert (await placement_of(client, system, first))["status"] in {"ended", "exited"}
        care = await _care_workshop(client, system)
        assert (care["placed"], care["open_offers"], care["waitlist_length"]) == (1, 0, 1)
        await _lead_records_a_day_for(client, system, third, care["workshop_id"])
        await eventually(lambda: _intake_knows_she_left(client, first), what="intake hears Lea left")

        report = await client.get(f"{outcomes}/v1/reports/integration", headers=MANAGER)
        assert report.json()["exits"] == 1
        assert report.json()["integrations"] == 1
        await _follow_up_falls_due_and_is_recorded(client, system, first, follow_up_id)
        await _live_figures_agree_with_the_outcomes_report(client, system)

        await _expect_mails(client, system, first, second, third)
        calls = portal.calls(PORTAL_PATH)  # Lea's placement and Mia's
        assert [c.json()["participant_id"] for c in calls] == [first, third]
        assert all(c.signature_verified for c in calls)
        assert len({c.idempotency_key for c in calls}) == 2
        await _expect_intake_events(system, first, second)

        await _erase_and_expect_counts_unchanged(client, system, first, second)


async def _seat_offered_expires_and_passes_on(
    client: httpx.AsyncClient, system: RunningSystem, second: str, third: str
) -> None:
    """Lea's seat is not handed over silently: Jonas, first in line, is offered it; nobody answers,
    the offer expires (the services run with a seconds-long offer time), and Mia is offered the
    seat; staff accept for her and she is placed. Jonas keeps waiting; the expired offer cannot be
    accepted any more."""
    jonas_offer = await _wait_for_open_offer(client, system, second)
    assert (await placement_of(client, system, third))["open_offer"] is None  # one offer per free seat
    mia_offer = await _wait_for_open_offer(client, system, third, timeout_s=60)
    placement = system.urls["placement"]
    expired = await client.get(f"{placement}/v1/offers/{jonas_offer['offer_id']}", headers=CASEWORKER)
    assert expired.json()["status"] == "expired", expired.text
    too_late = await client.post(
        f"{placement}/v1/offers/{jonas_offer['offer_id']}/accept", headers=CASEWORKER
    )
    assert too_late.status_code == 409, too_late.text
    accepted = await client.post(f"{placement}/v1/offers/{mia_offer['offer_id']}/accept", headers=CASEWORKER)
    assert accepted.status_code == 200, accepted.text
    mia = await placement_of(client, system, third)
    assert (mia["status"], mia["from_waitlist"], mia["placed_on"]) == ("placed", True, _berlin_today())
    jonas = await placement_of(client, system, second)
    assert (jonas["status"], jonas["open_offer"], jonas["waitlist_position"]) == ("waitlisted", None, 1)

    def offer_news(events: list[Any]) -> list[Any]:
        kinds = ("PlacementOffered", "OfferExpired", "ParticipantPlaced")
        return [e for e in events if e.event_type in kinds and str(e.participant_id) in (second, third)]

    events = offer_news(
        await collect_events(
            system.bootstrap_servers,
            system.topic("placement.events"),
            until=lambda e: len(offer_news(e)) >= 4,
        )
    )
    # Two people's events lie on different partitions: in order per person, and by their moments.
    news = {p: [e.event_type for e in events if str(e.participant_id) == p] for p in (second, third)}
    assert news == {
        second: ["PlacementOffered", "OfferExpired"],
        third: ["PlacementOffered", "ParticipantPlaced"],
    }
    offered, expired = (e for e in events if str(e.participant_id) == second)
    offered_next, placed = (e for e in events if str(e.participant_id) == third)
    assert offered.occurred_at < expired.occurred_at <= offered_next.occurred_at < placed.occurred_at
    assert expired.data["offer_id"] == jonas_offer["offer_id"]
    assert (offered_next.data["offer_id"], placed.data["offer_id"]) == (mia_offer["offer_id"],) * 2


async def _follow_up_falls_due_and_is_recorded(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str, follow_up_id: str
) -> None:
    """Six months after the exit (seconds here: FOLLOW_UP_DELAY_S) `FollowUpDue` is published once;
    the caseworker records that Lea is still in training, and the retention rate shows it."""
    outcomes = system.urls["outcomes"]

    def due(events: list[Any]) -> list[Any]:
        return [
            e for e in events if e.event_type == "FollowUpDue" and str(e.participant_id) == participant_id
        ]

    await collect_events(
        system.bootstrap_servers, system.topic("outcomes.events"), until=lambda e: bool(due(e))
    )
    recorded = await client.post(
        f"{outcomes}/v1/follow-ups/{follow_up_id}/record",
        json={"situation": "still_in_training"},
        headers=CASEWORKER,
    )
    assert recorded.status_code == 200, recorded.text
    again = await client.post(
        f"{outcomes}/v1/follow-ups/{follow_up_id}/record", json={"situation": "changed"}, headers=CASEWORKER
    )
    assert again.status_code == 409, again.text
    events = await collect_events(
        system.bootstrap_servers,
        system.topic("outcomes.events"),
        until=lambda e: any(x.event_type == "FollowUpRecorded" for x in e),
    )
    [announced] = due(events)
    [follow_up] = [e for e in events if e.event_type == "FollowUpRecorded"]
    assert announced.data["follow_up_id"] == follow_up.data["follow_up_id"] == follow_up_id
    assert follow_up.data["situation"] == "still_in_training"
    report = await client.get(f"{outcomes}/v1/reports/integration", headers=MANAGER)
    retention = report.json()["follow_ups"]
    assert (retention["integrations_followed_up"], retention["integrations_retained"]) == (1, 1)
    assert retention["six_month_retention_rate"] == 1.0


async def _live_figures_agree_with_the_outcomes_report(
    client: httpx.AsyncClient, system: RunningSystem
) -> None:
    """The faust-streaming worker's live figures, built from the events alone, say what outcomes'
    database says: one exit, one integration, retained after six months; and placement's state:
    three enrolled, Lea and Mia placed, Jonas waiting."""
    report = (await client.get(f"{system.urls['outcomes']}/v1/reports/integration", headers=MANAGER)).json()
    reporting = auth_header("reporting", subject="funder.analyst")
    expected = {
        "referred": 3,
        "enrolled": 3,
        "placed": 2,
        "waiting": 1,
        "exited": report["exits"],
        "integrated": report["integrations"],
        "jobcenter_integrated": report["jobcenter_integrations"],
        "followed_up": report["follow_ups"]["integrations_followed_up"],
        "retained": report["follow_ups"]["integrations_retained"],
        "retention_rate": report["follow_ups"]["six_month_retention_rate"],
    }
    seen: dict[str, Any] = {}

    async def agree() -> bool:
        response = await client.get(f"{system.urls['outcomes_live']}/v1/live/figures", headers=reporting)
        if response.status_code != 200:
            return False
        total = response.json()["total"]
        seen.update({key: total[key] for key in expected})
        return seen == expected

    await eventually(agree, timeout_s=30, what=f"live figures {seen} to equal {expected}")
    assert (expected["exited"], expected["integrated"], expected["retention_rate"]) == (1, 1, 1.0)
    as_csv = await client.get(
        f"{system.urls['outcomes_live']}/v1/live/figures", headers=reporting | {"Accept": "text/csv"}
    )
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    forbidden = await client.get(f"{system.urls['outcomes_live']}/v1/live/figures", headers=CASEWORKER)
    assert forbidden.status_code == 403


async def _wait_for_open_offer(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str, timeout_s: float = 30
) -> dict[str, Any]:
    async def holds_offer() -> bool:
        return (await placement_of(client, system, participant_id)).get("open_offer") is not None

    await eventually(holds_offer, timeout_s=timeout_s, what=f"an open seat offer to {participant_id}")
    offer = (await placement_of(client, system, participant_id))["open_offer"]
    assert isinstance(offer, dict)
    return offer


async def _lead_records_a_day_for(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str, workshop_id: str
) -> None:
    """Mia's first day, as the workshop's lead keeps it (placed from today, so today is the only
    day there is to record; three unexcused days in a row are the last test's chapter)."""
    placement, today = system.urls["placement"], _berlin_today()
    # The care workshop works shifts every day of the week (so the story holds on any weekday).
    every_day = await client.patch(
        f"{placement}/v1/workshops/{workshop_id}", json={"opening_days": [1, 2, 3, 4, 5, 6, 7]}, headers=ADMIN
    )
    assert every_day.status_code == 200, every_day.text
    recorded = await client.put(
        f"{system.urls['placement']}/v1/workshops/{workshop_id}/attendance/{today}",
        json={"entries": [{"participant_id": participant_id, "status": "present", "hours_present": 6.5}]},
        headers=MANAGER,
    )
    assert recorded.status_code == 200, recorded.text
    sheet = await client.get(f"{placement}/v1/workshops/{workshop_id}/attendance/{today}", headers=MANAGER)
    assert sheet.status_code == 200, sheet.text
    lines = {line["participant_id"]: line for line in sheet.json()["entries"]}
    assert (lines[participant_id]["placed"], lines[participant_id]["status"]) == (True, "present")
    assert (lines[participant_id]["hours_present"], lines[participant_id]["recorded_by"]) == (
        6.5,
        "mara.manager",
    )


async def _expect_intake_events(system: RunningSystem, first: str, second: str) -> None:
    events = await collect_events(
        system.bootstrap_servers, system.topic("intake.events"), until=lambda events: len(events) >= 9
    )
    for participant_id, caseworker in ((first, "carla.case"), (second, "kim.case")):
        own = [e for e in events if str(e.participant_id) == participant_id]
        assert [e.event_type for e in own] == [
            "ReferralReceived",
            "ParticipantEnrolled",
            "CaseworkerAssigned",
        ]
        assert own[1].data["funder"] == "jobcenter"
        assert own[1].data["funding"] == CO_FUNDED
        assert own[2].data["caseworker"] == caseworker


async def _erase_and_expect_counts_unchanged(
    client: httpx.AsyncClient, system: RunningSystem, first: str, second: str
) -> None:
    before = await _what_the_other_services_answer(client, system, first, second)

    erased = await client.post(f"/v1/participants/{first}/erasure", headers=ADMIN)
    assert erased.status_code == 200, erased.text
    gone = await client.get(f"/v1/participants/{first}", headers=ADMIN)
    assert gone.status_code == 410, gone.text
    assert gone.json()["error"]["code"] == "participant_data_erased"
    jonas = await client.get(f"/v1/participants/{second}", headers=MANAGER)
    assert jonas.json()["first_name"] == "Jonas"
    events = await collect_events(
        system.bootstrap_servers,
        system.topic("intake.events"),
        until=lambda events: any(e.event_type == "ParticipantDataErased" for e in events),
    )
    erasures = [e for e in events if e.event_type == "ParticipantDataErased"]
    assert [str(e.participant_id) for e in erasures] == [first]

    await asyncio.sleep(2)  # time for the other services to take the event (they keep no personal data)
    after = await _what_the_other_services_answer(client, system, first, second)
    # notifications keeps its log of Lea's deliveries (the audit need) but drops their texts.
    kept, erased = before.pop(f"deliveries {first}"), after.pop(f"deliveries {first}")
    assert after == before
    assert [d["delivery_id"] for d in erased["items"]] == [d["delivery_id"] for d in kept["items"]]
    assert {d["subject"] for d in erased["items"]} == {"(erased)"}
    assert len(system.mail.mails()) == MAILS_IN_THE_STORY


async def _what_the_other_services_answer(
    client: httpx.AsyncClient, system: RunningSystem, first: str, second: str
) -> dict[str, Any]:
    placement, outcomes, notifications = (system.urls[s] for s in ("placement", "outcomes", "notifications"))
    answers: dict[str, Any] = {}
    for participant_id in (first, second):
        answers[f"placement {participant_id}"] = await placement_of(client, system, participant_id)
        outcome = await client.get(f"{outcomes}/v1/participants/{participant_id}/outcome", headers=MANAGER)
        answers[f"outcome {participant_id}"] = outcome.json()
        deliveries = await client.get(
            f"{notifications}/v1/deliveries", params={"participant_id": participant_id}, headers=MANAGER
        )
        answers[f"deliveries {participant_id}"] = deliveries.json()
    answers["workshops"] = (await client.get(f"{placement}/v1/workshops", headers=MANAGER)).json()
    for funder in (None, "jobcenter"):
        params = {"funder": funder} if funder else {}
        report = await client.get(f"{outcomes}/v1/reports/integration", params=params, headers=MANAGER)
        assert report.status_code == 200, report.text
        answers[f"report {funder}"] = report.json()
    assert answers["report jobcenter"]["exits"] == 1  # Lea's main funder
    return answers


async def _expect_mails(
    client: httpx.AsyncClient, system: RunningSystem, first: str, second: str, third: str
) -> None:
    """The right staff member, in their language, exactly once per event; the office nothing."""
    await eventually(
        lambda: _count_at_least(system, MAILS_IN_THE_STORY), timeout_s=60, what="every notification mail"
    )
    await asyncio.sleep(2)  # a duplicate would arrive in this window; there must be none
    mails = system.mail.mails()
    people = {"lea": first, "jonas": second, "mia": third}
    assert told(mails, people) == expected_mails(first, second, third), [m["Subject"] for m in mails]
    assert len({m["Message-ID"] for m in mails}) == MAILS_IN_THE_STORY
    assert_no_personal_data(mails)
    for mail in mails:
        assert "/participants/" in text_of(mail)
        assert mail.get_body(preferencelist=("html",)) is not None

    deliveries = await client.get(
        f"{system.urls['notifications']}/v1/deliveries", params={"participant_id": third}, headers=MANAGER
    )
    assert deliveries.status_code == 200
    by_status: dict[str, list[str]] = {}
    for item in deliveries.json()["items"]:
        by_status.setdefault(item["status"], []).append(item["notification_kind"])
    # Mia: waitlisted, offered, placed (caseworker, lead, portal); her reminder (a mail to Ina and
    # the item in Ina's inbox, both due later) was cancelled when the offer was accepted.
    assert sorted(by_status["sent"]) == ["placement", "placement", "placement", "seat_offered", "waitlisting"]
    assert by_status["cancelled"] == ["offer_expiring", "offer_expiring"]
    sent = await collect_events(
        system.bootstrap_servers,
        system.topic("notifications.events"),
        until=lambda events: len(events) >= MAILS_IN_THE_STORY + 3,
    )
    # Every mail, both webhook calls, and Jonas's reminder reaching Ina's inbox when it fell due.
    assert len(sent) == MAILS_IN_THE_STORY + 3
    assert {e.event_type for e in sent} == {"NotificationSent"}


async def _portal_was_called_signed(portal: WebhookReceiver, lea: str) -> None:
    """One call per placement, signed with the portal's own secret, naming only the pseudonym."""
    [call] = await portal.wait_for_calls(PORTAL_PATH, 1)
    assert call.signature_verified is True
    body = call.json()
    assert (body["kind"], body["participant_id"], body["event_type"]) == (
        "placement",
        lea,
        "ParticipantPlaced",
    )
    assert body["facts"]["work_area"] == "care"
    assert call.idempotency_key


async def _count_at_least(system: RunningSystem, count: int) -> bool:
    return len(system.mail.mail_files()) >= count


async def _status_is(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str, status: str
) -> bool:
    return (await placement_of(client, system, participant_id)).get("status") == status


async def _outcome_status_is(
    client: httpx.AsyncClient, system: RunningSystem, participant_id: str, status: str
) -> bool:
    response = await client.get(
        f"{system.urls['outcomes']}/v1/participants/{participant_id}/outcome", headers=CASEWORKER
    )
    return response.status_code == 200 and response.json().get("status") == status


async def _intake_knows_she_left(client: httpx.AsyncClient, participant_id: str) -> bool:
    """intake ends the enrolment on `ParticipantExited`: a later referral would be a re-entry."""
    response = await client.get(
        "/v1/participants", params={"active": "false", "caseworker": "carla.case"}, headers=MANAGER
    )
    assert response.status_code == 200, response.text
    left = {item["person"]["participant_id"]: item["ended_on"] for item in response.json()["items"]}
    return left.get(participant_id) == _berlin_today()


async def _care_workshop(client: httpx.AsyncClient, system: RunningSystem) -> dict[str, Any]:
    response = await client.get(f"{system.urls['placement']}/v1/workshops", headers=MANAGER)
    assert response.status_code == 200, response.text
    workshops = response.json()
    items = workshops["items"] if isinstance(workshops, dict) else workshops
    return next(w for w in items if w["work_area"] == "care")


def _berlin_today() -> str:
    """The services' idea of today (their default timezone), so the exit is never before enrolment."""
    return dt.datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()


async def test_three_unexcused_days_in_a_row_reach_placement_events(system: RunningSystem) -> None:
    """The story's last chapter, attendance: someone placed for two weeks misses three working days
    in a row without excuse; once the third is recorded, `AbsenceThresholdReached` is on
    placement.events (once, however often the day is sent) for their caseworker to step in."""
    await _attendance_with_three_unexcused_days(system)


async def _attendance_with_three_unexcused_days(system: RunningSystem) -> None:
    """Self-contained: enrols its own participant (Ben, bike & metal, enrolled two weeks ago so
    there are past working days to record), records through placement's attendance API as a
    manager, and reads the event from placement.events."""
    placement = system.urls["placement"]
    two_weeks_ago = dt.date.fromisoformat(_berlin_today()) - dt.timedelta(days=14)
    async with httpx.AsyncClient(base_url=system.urls["intake"], timeout=10) as client:
        received = await refer(
            client,
            first_name="Ben",
            last_name="Beispiel",
            birth_date="2004-03-10",
            referral_source="jobcenter",
            preferred_work_areas=["bike_metal"],
            received_on=two_weeks_ago.isoformat(),
        )
        ben = str(received["participant_id"])
        await interview(client, received["referral_id"], held_on=two_weeks_ago.isoformat())
        await consent(client, ben)
        enrolled = await enrol(
            client, received["referral_id"], enrolled_on=two_weeks_ago, caseworker="carla.case"
        )
        assert enrolled.status_code == 201, enrolled.text
        await eventually(lambda: _status_is(client, system, ben, "placed"), what="Ben placed in bike & metal")
        placed = await placement_of(client, system, ben)
        workshop_id = placed.get("workshop_id") or await _workshop_of_area(client, system, "bike_metal")

        placed_on = dt.date.fromisoformat(placed["placed_on"])
        today = dt.date.fromisoformat(_berlin_today())
        working_days = [
            placed_on + dt.timedelta(days=n)
            for n in range((today - placed_on).days + 1)
            if (placed_on + dt.timedelta(days=n)).isoweekday() <= 5
        ]
        assert len(working_days) >= 3, (
            f"Ben was placed on {placed_on}: fewer than three working days to record"
        )
        missed = working_days[-3:]
        for day in [*missed, missed[-1]]:  # the last day twice: sending a day again reports nothing new
            recorded = await client.put(
                f"{placement}/v1/workshops/{workshop_id}/attendance/{day.isoformat()}",
                json={"entries": [{"participant_id": ben, "status": "unexcused"}]},
                headers=MANAGER,
            )
            assert recorded.status_code == 200, recorded.text

    def reported(events: list[Any]) -> list[Any]:
        return [
            e for e in events if e.event_type == "AbsenceThresholdReached" and str(e.participant_id) == ben
        ]

    await collect_events(
        system.bootstrap_servers, system.topic("placement.events"), until=lambda e: bool(reported(e))
    )
    await asyncio.sleep(2)  # a second one would arrive in this window; there must be none
    events = await collect_events(
        system.bootstrap_servers, system.topic("placement.events"), until=lambda e: bool(reported(e))
    )
    [event] = reported(events)
    await eventually(
        lambda: _mail_about(system, ben, "carla@werkstatt.test", "absences"),
        timeout_s=30,
        what="the absences mail to Ben's caseworker",
    )
    assert event.data == {
        "workshop_id": str(workshop_id),
        "work_area": "bike_metal",
        "streak_started_on": missed[0].isoformat(),
        "streak_ended_on": missed[-1].isoformat(),
        "unexcused_days": 3,
        "threshold": 3,
    }


async def _mail_about(system: RunningSystem, participant_id: str, address: str, kind: str) -> bool:
    """One mail to `address` about the participant, and its delivery in the log of that kind."""
    mails = [m for m in system.mail.mails() if m["To"] == address and participant_id in text_of(m)]
    if len(mails) != 2:  # placed in bike & metal, then the absences
        return False
    async with httpx.AsyncClient(timeout=10) as client:
        log = await client.get(
            f"{system.urls['notifications']}/v1/deliveries",
            params={"participant_id": participant_id},
            headers=MANAGER,
        )
    kinds = [d["notification_kind"] for d in log.json()["items"] if d["recipient"] == address]
    return sorted(kinds) == sorted(["placement", kind])


async def _workshop_of_area(client: httpx.AsyncClient, system: RunningSystem, area: str) -> str:
    response = await client.get(f"{system.urls['placement']}/v1/workshops", headers=MANAGER)
    assert response.status_code == 200, response.text
    workshops = response.json()
    items = workshops["items"] if isinstance(workshops, dict) else workshops
    return str(next(w["workshop_id"] for w in items if w["work_area"] == area))
