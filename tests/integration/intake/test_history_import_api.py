"""`POST /v1/imports/history`: an admin imports a programme's spreadsheet; every row is checked,
a refused file writes nothing, an accepted one becomes participants, enrolled referrals and one
`HistoricalStayImported` per stay, in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.integration.intake.conftest import IntakeUnderTest
from tests.support.intake_flows import ADMIN, INTAKE_STAFF, MANAGER
from tests.support.kafka_tools import collect_events, create_topics, publish
from tests.support.service_app import eventually
from werkstattnetz_shared.events import EventEnvelope, ParticipantExited
from werkstattnetz_shared.events.vocabulary import Destination

pytestmark = pytest.mark.integration

HEADER = (
    "record_id,person_key,referred_on,referral_source,enrolled_on,funder,age_band,work_area,"
    "placed_on,exit_date,destination,exit_reason"
)
ROWS = [
    "H-1,P-1,2019-02-04,jobcenter,2019-02-18,jobcenter,18-20,care,2019-03-01,2019-12-20,apprenticeship,",
    "H-2,P-1,2020-05-11,self,2020-05-25,city,18-20,bike_metal,,2020-11-30,dropout,dropout",
    "H-3,P-1,2024-09-02,youth_office,2024-09-16,youth_office,21-25,garden_landscape,2024-10-01,,,",
    "H-4,P-2,2021-01-11,school,2021-01-20,jobcenter,15-17,care,2021-02-01,2021-08-31,employment,regular_end",
]
CSV = {"Content-Type": "text/csv; charset=utf-8"}


def csv_of(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


async def counts(intake: IntakeUnderTest) -> tuple[int, int, int, int]:
    return (
        await intake.value("SELECT count(*) FROM people"),
        await intake.value("SELECT count(*) FROM referrals"),
        await intake.value("SELECT count(*) FROM outbox"),
        await intake.value("SELECT count(*) FROM history_imports"),
    )


async def test_a_clean_file_becomes_participants_with_re_entries_and_one_event_per_stay(
    intake: IntakeUnderTest,
) -> None:
    answer = await intake.client.post("/v1/imports/history", content=csv_of(*ROWS), headers=ADMIN | CSV)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["stays"], body["people"], body["re_entries"], body["open_stays"]) == (4, 2, 2, 1)

    people = await intake.rows("SELECT participant_id, imported, first_name, birth_date FROM people")
    assert len(people) == 2
    assert all(row["imported"] and row["first_name"] is None and row["birth_date"] is None for row in people)
    referrals = await intake.rows(
        "SELECT r.participant_id, r.status, r.re_entry, r.enrolled_on, r.enrolment_ended_on, s.person_key "
        "FROM referrals r JOIN imported_stays s USING (referral_id) ORDER BY r.enrolled_on"
    )
    assert [(r["person_key"], r["re_entry"], r["enrolment_ended_on"]) for r in referrals] == [
        ("P-1", False, dt.date(2019, 12, 20)),
        ("P-1", True, dt.date(2020, 11, 30)),
        ("P-2", False, dt.date(2021, 8, 31)),
        ("P-1", True, None),
    ]
    assert {r["status"] for r in referrals} == {"enrolled"}
    first_person = referrals[0]["participant_id"]
    assert referrals[1]["participant_id"] == referrals[3]["participant_id"] == first_person

    events = await collect_events(
        intake.bootstrap_servers, intake.events_topic, until=lambda found: len(found) >= 4
    )
    assert [e.event_type for e in events] == ["HistoricalStayImported"] * 4
    of_first = [e for e in events if e.participant_id == first_person]
    assert [e.data["enrolled_on"] for e in of_first] == ["2019-02-18", "2020-05-25", "2024-09-16"]
    assert [e.data["re_entry"] for e in of_first] == [False, True, True]
    assert of_first[0].data["destination"] == "apprenticeship"
    assert of_first[2].data["exit_date"] is None
    assert of_first[2].data["placed_on"] == "2024-10-01"
    assert not {"first_name", "last_name", "birth_date", "person_key", "record_id"} & set(of_first[0].data)


async def test_a_file_with_refused_rows_is_answered_with_every_refusal_and_writes_nothing(
    intake: IntakeUnderTest,
) -> None:
    before = await counts(intake)
    bad_date = ROWS[0].replace("2019-02-18", "18.02.2019")
    overlapping = ROWS[1].replace("2020-05-11", "2019-12-01")
    unknown_area = ROWS[3].replace(",care,", ",kitchen,")
    answer = await intake.client.post(
        "/v1/imports/history",
        content=csv_of(bad_date, overlapping, ROWS[2], unknown_area),
        headers=ADMIN | CSV,
    )
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "history_rows_refused"
    found = {(d["field"], d["rule"]) for d in error["details"]}
    assert found == {
        ("line 2: enrolled_on", "date_written_as_yyyy_mm_dd"),
        ("line 5: work_area", "one_of_vocabulary"),
    }
    assert all(d["message"].startswith("record_id 'H-") for d in error["details"])
    # The overlap is found once the dates can be read: a second try names it.
    answer = await intake.client.post(
        "/v1/imports/history", content=csv_of(ROWS[0], overlapping, ROWS[2], ROWS[3]), headers=ADMIN | CSV
    )
    assert answer.status_code == 422, answer.text
    assert [(d["field"], d["rule"]) for d in answer.json()["error"]["details"]] == [
        ("line 3: referred_on", "stays_do_not_overlap")
    ]
    assert await counts(intake) == before


async def test_the_same_file_twice_is_a_conflict_and_a_retry_with_its_key_the_first_answer(
    intake: IntakeUnderTest,
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = await intake.client.post("/v1/imports/history", content=csv_of(*ROWS), headers=ADMIN | CSV | key)
    retry = await intake.client.post("/v1/imports/history", content=csv_of(*ROWS), headers=ADMIN | CSV | key)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"

    again = await intake.client.post("/v1/imports/history", content=csv_of(*ROWS), headers=ADMIN | CSV)
    assert again.status_code == 409, again.text
    assert again.json()["error"]["code"] == "history_already_imported"
    assert again.json()["error"]["conflicting_id"] == first.json()["import_id"]

    # Another file with a record or a person imported before is refused row by row.
    later = ROWS[3].replace("H-4", "H-5").replace("2021-08-31", "2021-09-01")
    overlapping_keys = await intake.client.post(
        "/v1/imports/history", content=csv_of(later), headers=ADMIN | CSV
    )
    assert overlapping_keys.status_code == 422
    assert [(d["field"], d["rule"]) for d in overlapping_keys.json()["error"]["details"]] == [
        ("line 2: person_key", "not_imported_before")
    ]
    assert await intake.value("SELECT count(*) FROM referrals") == 4


@pytest.mark.parametrize("staff", [MANAGER, INTAKE_STAFF])
async def test_only_admins_may_import_history(intake: IntakeUnderTest, staff: dict[str, str]) -> None:
    answer = await intake.client.post("/v1/imports/history", content=csv_of(*ROWS), headers=staff | CSV)
    assert answer.status_code == 403
    assert await intake.value("SELECT count(*) FROM referrals") == 0


async def test_a_body_that_is_no_utf8_csv_is_refused_with_its_rule(intake: IntakeUnderTest) -> None:
    as_json = await intake.client.post("/v1/imports/history", json={"rows": []}, headers=ADMIN)
    assert (as_json.status_code, as_json.json()["error"]["code"]) == (422, "media_type_text_csv")
    latin1 = csv_of(ROWS[0].replace("H-1", "H-ä")).decode().encode("latin-1")
    answer = await intake.client.post("/v1/imports/history", content=latin1, headers=ADMIN | CSV)
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "utf8_encoded")
    too_big = b"x" * (20 * 1024 * 1024 + 1)
    answer = await intake.client.post("/v1/imports/history", content=too_big, headers=ADMIN | CSV)
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "body_at_most_20_mib")


async def test_the_exit_of_an_imported_stay_published_by_outcomes_ends_no_open_stay(
    intake: IntakeUnderTest,
) -> None:
    answer = await intake.client.post("/v1/imports/history", content=csv_of(*ROWS), headers=ADMIN | CSV)
    assert answer.status_code == 201
    person = await intake.value("SELECT participant_id FROM imported_stays WHERE record_id = 'H-1'")
    topic = intake.settings.topic("outcomes.events")
    await create_topics(intake.bootstrap_servers, topic)
    # outcomes publishes the first stay's (historical) exit, then a live exit of the open stay.
    for exit_date in (dt.date(2019, 12, 20), intake.today):
        exited = ParticipantExited(destination=Destination.EMPLOYMENT, exit_date=exit_date, integrated=True)
        await publish(
            intake.bootstrap_servers,
            topic,
            EventEnvelope.wrap(exited, producer="outcomes", participant_id=person),
        )

    async def open_stay_ended() -> bool:
        ended = await intake.value(
            "SELECT r.enrolment_ended_on FROM referrals r JOIN imported_stays s USING (referral_id) "
            "WHERE s.record_id = 'H-3'"
        )
        return ended is not None

    await eventually(open_stay_ended, what="intake hearing of the live exit")
    ended = await intake.value(
        "SELECT r.enrolment_ended_on FROM referrals r JOIN imported_stays s USING (referral_id) "
        "WHERE s.record_id = 'H-3'"
    )
    assert ended == intake.today  # not the historical stay's exit, which came first
