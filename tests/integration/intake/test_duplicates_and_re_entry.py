"""The same person referred again, through intake's API on real PostgreSQL and Kafka: recognised
across spellings (409 with the known participant id), also when two staff members create them at
the same moment; linked with `same_person_as` (same participant id; a re-entry after an exit
outcomes reported); and the check staff run before they create."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import (
    INTAKE_STAFF,
    MANAGER,
    consent,
    enrol,
    interview,
    refer,
    referral_body,
)
from tests.support.kafka_tools import collect_events
from tests.support.service_app import eventually

pytestmark = pytest.mark.integration

BORN = "2007-03-14"


async def post_referral(intake: IntakeUnderTest, **overrides: Any) -> tuple[int, dict[str, Any]]:
    response = await intake.client.post(
        "/v1/referrals", json=referral_body(**overrides), headers=INTAKE_STAFF
    )
    answer: dict[str, Any] = response.json()
    return response.status_code, answer


@pytest.mark.parametrize(
    ("known", "again"),
    [
        (("Lena", "Müller"), ("Lena", "Mueller")),
        (("Lena", "Mueller"), ("LENA", "MÜLLER")),
        (("Jonas", "Strauß"), ("Jonas", "Strauss")),
        (("José", "García"), ("Jose", "Garcia")),
        (("Anna-Lena", "Weiß"), ("anna lena", "WEISS")),
    ],
)
async def test_the_same_person_referred_again_is_recognised_across_spellings(
    intake: IntakeUnderTest, known: tuple[str, str], again: tuple[str, str]
) -> None:
    first = await refer(intake.client, first_name=known[0], last_name=known[1], birth_date=BORN)

    status, answer = await post_referral(intake, first_name=again[0], last_name=again[1], birth_date=BORN)

    assert status == 409, answer
    assert answer["error"]["code"] == "same_person_already_known"
    assert answer["error"]["conflicting_id"] == first["participant_id"]
    assert await intake.value("SELECT count(*) FROM people") == 1
    assert await intake.value("SELECT count(*) FROM referrals") == 1
    # Another birth date is another person.
    status, other = await post_referral(
        intake, first_name=again[0], last_name=again[1], birth_date="2007-03-15"
    )
    assert status == 201, other
    assert other["participant_id"] != first["participant_id"]


async def test_two_staff_members_creating_one_person_at_once_create_one(intake: IntakeUnderTest) -> None:
    spellings = ["Müller", "Mueller", "MÜLLER", "müller", "MUELLER", "Müller"]
    answers = await asyncio.gather(
        *(post_referral(intake, first_name="Lena", last_name=name, birth_date=BORN) for name in spellings)
    )

    created = [answer for status, answer in answers if status == 201]
    refused = [answer for status, answer in answers if status == 409]
    assert len(created) == 1, answers
    assert len(refused) == len(spellings) - 1, answers
    assert {answer["error"]["conflicting_id"] for answer in refused} == {created[0]["participant_id"]}
    assert await intake.value("SELECT count(*) FROM people") == 1
    assert await intake.value("SELECT count(*) FROM referrals") == 1
    assert await intake.value("SELECT count(*) FROM outbox") == 1


async def test_a_returning_person_is_the_same_participant_and_a_re_entry_only_after_an_exit(
    intake: IntakeUnderTest,
) -> None:
    client = intake.client
    first = await refer(client, first_name="Lena", last_name="Müller", birth_date=BORN)
    participant_id = first["participant_id"]
    rejected = await client.post(
        f"/v1/referrals/{first['referral_id']}/reject", json={"reason": "not_reachable"}, headers=INTAKE_STAFF
    )
    assert rejected.status_code == 200

    # Referred again after a rejection: the same person, but no re-entry (never enrolled).
    status, second = await post_referral(
        intake, first_name="Lena", last_name="Mueller", birth_date=BORN, same_person_as=participant_id
    )
    assert status == 201, second
    assert (second["participant_id"], second["re_entry"]) == (participant_id, False)

    # Not while that referral is open …
    status, answer = await post_referral(
        intake, first_name="Lena", last_name="Müller", birth_date=BORN, same_person_as=participant_id
    )
    assert (status, answer["error"]["code"]) == (409, "one_open_referral_per_person")

    # … nor while enrolled and no exit was heard of.
    await interview(client, second["referral_id"])
    await consent(client, participant_id)
    first_stay = await enrol(client, second["referral_id"])
    assert first_stay.status_code == 201, first_stay.text
    status, answer = await post_referral(
        intake, first_name="Lena", last_name="Müller", birth_date=BORN, same_person_as=participant_id
    )
    assert (status, answer["error"]["code"]) == (409, "not_currently_enrolled")

    # outcomes reports the exit; intake hears it and the person may come back.
    await intake.publish_exit(participant_id, intake.today)

    async def exit_heard() -> bool:
        ended = await intake.value(
            "SELECT enrolment_ended_on FROM referrals WHERE referral_id = $1::uuid", second["referral_id"]
        )
        return ended is not None

    await eventually(exit_heard, what="intake hearing of the exit")

    # The details must be the linked person's.
    for mismatch in ({"birth_date": "2007-03-15"}, {"first_name": "Lea"}):
        details = {"first_name": "Lena", "last_name": "Müller", "birth_date": BORN} | mismatch
        status, answer = await post_referral(intake, **details, same_person_as=participant_id)
        assert status == 422, answer
        assert answer["error"]["code"] == "details_match_linked_person"
        assert answer["error"]["details"][0]["field"] == "participant_id"
    assert await intake.value("SELECT count(*) FROM referrals") == 2

    status, third = await post_referral(
        intake,
        first_name="LENA",
        last_name="MUELLER",
        birth_date=BORN,
        same_person_as=participant_id,
        phone="+49 341 7654321",
    )
    assert status == 201, third
    assert (third["participant_id"], third["re_entry"]) == (participant_id, True)
    await interview(client, third["referral_id"])
    second_stay = await enrol(client, third["referral_id"])  # the consent given before still holds
    assert second_stay.status_code == 201, second_stay.text

    events = await collect_events(
        intake.bootstrap_servers,
        intake.events_topic,
        until=lambda found: sum(e.event_type == "ParticipantEnrolled" for e in found) >= 2,
    )
    assert {str(event.participant_id) for event in events} == {participant_id}
    received = [e.data["re_entry"] for e in events if e.event_type == "ReferralReceived"]
    assert received == [False, False, True]
    stays = [e.data for e in events if e.event_type == "ParticipantEnrolled"]
    assert [stay["re_entry"] for stay in stays] == [False, True]
    assert stays[0]["enrolment_id"] == first_stay.json()["enrolment"]["enrolment_id"]
    assert stays[1]["enrolment_id"] == second_stay.json()["enrolment"]["enrolment_id"]
    assert stays[0]["enrolment_id"] != stays[1]["enrolment_id"]

    # One person with three referrals; the name is kept as first written, the new phone number taken.
    view = (await client.get(f"/v1/participants/{participant_id}", headers=MANAGER)).json()
    assert (view["first_name"], view["last_name"], view["phone"]) == ("Lena", "Müller", "+49 341 7654321")
    assert [r["status"] for r in view["referrals"]] == ["rejected", "enrolled", "enrolled"]
    assert await intake.value("SELECT count(*) FROM people") == 1


async def test_a_link_to_an_unknown_participant_is_a_404(intake: IntakeUnderTest) -> None:
    status, answer = await post_referral(intake, same_person_as="7b0d3c1e-4a7f-4a55-9a55-3f3c0a3f0b11")
    assert status == 404
    assert answer["error"]["code"] == "participant_must_exist"
    assert await intake.value("SELECT count(*) FROM people") == 0


async def test_staff_check_whether_intake_knows_a_person_before_they_create_one(
    intake: IntakeUnderTest,
) -> None:
    lena = await refer(intake.client, first_name="Lena", last_name="Müller", birth_date=BORN)
    await refer(intake.client, first_name="Lena", last_name="Müller", birth_date="2008-01-01")

    async def check(first_name: str, last_name: str, birth_date: str) -> list[dict[str, Any]]:
        response = await intake.client.get(
            "/v1/people/same-person",
            params={"first_name": first_name, "last_name": last_name, "birth_date": birth_date},
            headers=INTAKE_STAFF,
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    found = await check("LENA", "Mueller", BORN)
    assert [(p["participant_id"], p["first_name"], p["last_name"]) for p in found] == [
        (lena["participant_id"], "Lena", "Müller")
    ]
    assert await check("Lena", "Müller", "2007-03-13") == []
    assert await check("Lea", "Müller", BORN) == []
    incomplete = await intake.client.get(
        "/v1/people/same-person", params={"first_name": "Lena", "last_name": "Müller"}, headers=INTAKE_STAFF
    )
    assert incomplete.status_code == 422
