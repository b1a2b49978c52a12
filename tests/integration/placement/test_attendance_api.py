"""Attendance over HTTP on real PostgreSQL: bulk entry of a workshop day, corrections with their
history, which participants and days may be recorded, who may record, and nothing half-written."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.integration.placement.attendance_support import (
    ADMIN,
    CASEWORKER,
    LEAD,
    LEAD_HEADERS,
    MANAGER,
    MONDAY,
    OTHER_LEAD_HEADERS,
    REPORTING,
    AttendanceService,
    attendance_service,
    entry,
    weekday,
)
from tests.support.tokens import auth_header
from werkstattnetz_devstack.testing import KafkaForTests, PostgresForTests

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def service(
    kafka_broker: KafkaForTests, postgres_server: PostgresForTests
) -> AsyncIterator[AttendanceService]:
    async with attendance_service(kafka_broker, postgres_server) as running:
        yield running


def _by_participant(sheet: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {line["participant_id"]: line for line in sheet["entries"]}


def _failures(response: Any) -> list[tuple[str, str]]:
    return [(detail["field"], detail["rule"]) for detail in response.json()["error"]["details"]]


async def test_a_lead_records_a_whole_day_in_one_request(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea, ben, cem, dana = [await service.placed(workshop) for _ in range(4)]
    sheet = await service.record(
        workshop, MONDAY, entry(lea, "present", 6.5), entry(ben, "sick", 2), entry(cem, "unexcused")
    )
    assert (sheet["workshop_id"], sheet["day"], sheet["workshop_open"]) == (str(workshop), "2026-10-05", True)
    lines = _by_participant(sheet)
    assert {
        key: lines[str(lea)][key] for key in ("placed", "status", "hours_present", "version", "recorded_by")
    } == {
        "placed": True,
        "status": "present",
        "hours_present": 6.5,
        "version": 1,
        "recorded_by": LEAD,
    }
    assert (lines[str(ben)]["status"], lines[str(ben)]["hours_present"]) == ("sick", 2.0)
    assert (lines[str(cem)]["status"], lines[str(cem)]["hours_present"]) == ("unexcused", 0.0)
    assert lines[str(dana)] | {"participant_id": None} == {
        "participant_id": None,
        "placed": True,
        "status": None,
        "hours_present": None,
        "version": None,
        "recorded_by": None,
        "recorded_at": None,
    }
    read = await service.client.get(f"/v1/workshops/{workshop}/attendance/{MONDAY}", headers=LEAD_HEADERS)
    assert read.status_code == 200, read.text
    assert read.json() == sheet


async def test_sending_the_same_day_again_changes_nothing(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea = await service.placed(workshop)
    first = await service.record(workshop, MONDAY, entry(lea, "present", 6))
    again = await service.record(workshop, MONDAY, entry(lea, "present", 6.0))
    assert again == first
    assert await service.sql("SELECT * FROM attendance_history WHERE participant_id = $1", lea) == []


async def test_participants_left_out_keep_their_entries(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea, ben = await service.placed(workshop), await service.placed(workshop)
    await service.record(workshop, MONDAY, entry(lea, "present", 6), entry(ben, "excused"))
    sheet = await service.record(workshop, MONDAY, entry(ben, "sick"))
    lines = _by_participant(sheet)
    assert (lines[str(lea)]["status"], lines[str(ben)]["status"]) == ("present", "sick")


async def test_a_correction_keeps_the_earlier_value_and_who_changed_it(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea, ben = await service.placed(workshop), await service.placed(workshop)
    await service.record(workshop, MONDAY, entry(lea, "unexcused"), entry(ben, "present", 6))
    corrected = await service.put_day(workshop, MONDAY, entry(lea, "excused"), headers=MANAGER)
    assert corrected.status_code == 200, corrected.text
    line = _by_participant(corrected.json())[str(lea)]
    assert (line["status"], line["version"], line["recorded_by"]) == ("excused", 2, "mara.manager")

    history = await service.client.get(
        f"/v1/workshops/{workshop}/attendance/{MONDAY}/history", headers=LEAD_HEADERS
    )
    assert history.status_code == 200, history.text
    participants = {item["participant_id"]: item["versions"] for item in history.json()["participants"]}
    first, current = participants[str(lea)]
    assert (first["version"], first["status"], first["recorded_by"], first["replaced_by"]) == (
        1,
        "unexcused",
        LEAD,
        "mara.manager",
    )
    assert first["replaced_at"] == current["recorded_at"]
    assert (current["version"], current["status"], current["recorded_by"], current["replaced_by"]) == (
        2,
        "excused",
        "mara.manager",
        None,
    )
    assert [version["version"] for version in participants[str(ben)]] == [1]
    [kept] = await service.sql(
        "SELECT status, recorded_by, replaced_by FROM attendance_history WHERE participant_id = $1", lea
    )
    assert dict(kept) == {"status": "unexcused", "recorded_by": LEAD, "replaced_by": "mara.manager"}


async def test_only_participants_placed_there_that_day_may_be_recorded_and_nothing_is_half_written(
    service: AttendanceService,
) -> None:
    workshop, elsewhere = await service.workshop(), await service.workshop()
    day = weekday(10)
    placed = await service.placed(workshop)
    gone = await service.placed(workshop, MONDAY, day - dt.timedelta(days=1))
    later = await service.placed(workshop, day + dt.timedelta(days=1))
    other = await service.placed(elsewhere)
    stranger = uuid.uuid4()
    response = await service.put_day(
        workshop,
        day,
        entry(placed, "present", 6),
        entry(gone, "unexcused"),
        entry(later, "unexcused"),
        entry(other, "unexcused"),
        entry(stranger, "unexcused"),
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "attendance_entries_invalid"
    assert _failures(response) == [
        (f"entries.{index}.participant_id", "participant_must_be_placed_in_workshop_on_day")
        for index in range(1, 5)
    ]
    messages = " ".join(detail["message"] for detail in response.json()["error"]["details"])
    for participant in (gone, later, other, stranger):
        assert str(participant) in messages
    assert await service.sql("SELECT * FROM attendance WHERE workshop_id = $1", workshop) == []

    last_day = await service.placed(workshop, MONDAY, day)  # a spell's first and last day both count
    first_day = await service.placed(workshop, day)
    await service.record(workshop, day, entry(last_day, "present", 4), entry(first_day, "present", 4))


async def test_days_in_the_future_closed_days_and_implausible_dates_are_refused(
    service: AttendanceService,
) -> None:
    workshop = await service.workshop(opening_days=(1, 2, 3, 4, 5))
    lea = await service.placed(workshop)
    tomorrow = dt.datetime.now(ZoneInfo("Europe/Berlin")).date() + dt.timedelta(days=1)
    saturday = MONDAY + dt.timedelta(days=5)
    refused = {
        tomorrow.isoformat(): "attendance_day_not_in_future",
        saturday.isoformat(): "workshop_must_be_open_on_day",
        "1989-12-29": "date_within_plausible_range",
        "2026-02-30": "date_from_datetime_parsing",
        "5.10.2026": "date_written_as_yyyy_mm_dd",
    }
    for day, rule in refused.items():
        response = await service.client.put(
            f"/v1/workshops/{workshop}/attendance/{day}",
            json={"entries": [entry(lea, "unexcused")]},
            headers=LEAD_HEADERS,
        )
        assert response.status_code == 422, (day, response.text)
        assert _failures(response) == [("path.day", rule)], (day, response.text)
    assert await service.sql("SELECT * FROM attendance WHERE workshop_id = $1", workshop) == []
    weekend_workshop = await service.workshop(opening_days=(6,))
    saturday_worker = await service.placed(weekend_workshop)
    await service.record(weekend_workshop, saturday, entry(saturday_worker, "present", 5))


async def test_each_entry_is_checked_and_named(service: AttendanceService) -> None:
    workshop = await service.workshop()
    lea, ben = await service.placed(workshop), await service.placed(workshop)
    cases: list[tuple[list[dict[str, Any]], tuple[str, str]]] = [
        ([entry(lea, "present")], ("entries.0.hours_present", "present_needs_hours_present")),
        ([entry(lea, "present", 0)], ("entries.0.hours_present", "present_needs_hours_present")),
        ([entry(lea, "present", 12.25)], ("entries.0.hours_present", "less_than_equal")),
        ([entry(lea, "present", 6.1)], ("entries.0.hours_present", "multiple_of")),
        ([entry(lea, "present", -1)], ("entries.0.hours_present", "greater_than_equal")),
        ([entry(lea, "late")], ("entries.0.status", "enum")),
        ([entry(ben, "sick"), entry(ben, "excused")], ("entries.1.participant_id", "each_participant_once")),
        ([{"participant_id": "nobody", "status": "sick"}], ("entries.0.participant_id", "uuid_parsing")),
        ([{**entry(lea, "sick"), "note": "flu"}], ("entries.0.note", "extra_forbidden")),
        ([], ("entries", "too_short")),
    ]
    for entries, failure in cases:
        response = await service.client.put(
            f"/v1/workshops/{workshop}/attendance/{MONDAY}", json={"entries": entries}, headers=LEAD_HEADERS
        )
        assert response.status_code == 422, (entries, response.text)
        assert failure in _failures(response), (entries, response.text)
    assert await service.sql("SELECT * FROM attendance WHERE workshop_id = $1", workshop) == []


async def test_who_may_keep_a_workshops_attendance(service: AttendanceService) -> None:
    workshop, unled = await service.workshop(lead=LEAD), await service.workshop(lead=None)
    lea = await service.placed(workshop)
    body = {"entries": [entry(lea, "present", 6)]}
    for path in ("", "/history"):
        for headers, status in (
            (LEAD_HEADERS, 200),
            (MANAGER, 200),
            (ADMIN, 200),
            (auth_header("workshop_lead", "caseworker", subject=LEAD), 200),
            (OTHER_LEAD_HEADERS, 403),
            (CASEWORKER, 403),
            (REPORTING, 403),
            (auth_header("intake"), 403),
            (auth_header("monitoring"), 403),
            ({}, 401),
        ):
            url = f"/v1/workshops/{workshop}/attendance/{MONDAY}{path}"
            read = await service.client.get(url, headers=headers)
            assert read.status_code == status, (path, headers, read.text)
            if not path:
                written = await service.client.put(url, json=body, headers=headers)
                assert written.status_code == status, (headers, written.text)
    foreign = await service.put_day(workshop, MONDAY, entry(lea, "sick"), headers=OTHER_LEAD_HEADERS)
    assert foreign.json()["error"]["code"] == "must_lead_workshop"
    assert str(lea) not in foreign.text
    assert (await service.put_day(unled, MONDAY, entry(lea, "sick"))).status_code == 403
    [kept] = await service.sql("SELECT status, version FROM attendance WHERE participant_id = $1", lea)
    assert (kept["status"], kept["version"]) == ("present", 1)


async def test_an_unknown_workshop_is_a_404(service: AttendanceService) -> None:
    unknown = uuid.uuid4()
    for headers in (LEAD_HEADERS, MANAGER):
        written = await service.put_day(unknown, MONDAY, entry(uuid.uuid4(), "sick"), headers=headers)
        assert written.status_code == 404, written.text
        assert _failures(written) == [("path.workshop_id", "workshop_must_be_known")]
        for path in ("", "/history"):
            read = await service.client.get(
                f"/v1/workshops/{unknown}/attendance/{MONDAY}{path}", headers=headers
            )
            assert read.status_code == 404, read.text
    malformed = await service.client.get(f"/v1/workshops/not-a-uuid/attendance/{MONDAY}", headers=MANAGER)
    assert malformed.status_code == 422


async def test_a_transfer_day_is_kept_by_the_workshop_that_records_it_first(
    service: AttendanceService,
) -> None:
    before, after = await service.workshop(), await service.workshop()
    day = weekday(3)
    lea = await service.placed(before, MONDAY, day)
    await service.placed(after, day, participant_id=lea)
    await service.record(before, day, entry(lea, "present", 3))
    response = await service.put_day(after, day, entry(lea, "present", 3), headers=MANAGER)
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert (error["code"], error["conflicting_id"]) == (
        "attendance_recorded_in_another_workshop",
        str(before),
    )
    assert _failures(response) == [("entries.0.participant_id", "attendance_recorded_in_another_workshop")]
    kept = await service.sql("SELECT workshop_id FROM attendance WHERE participant_id = $1", lea)
    assert [row["workshop_id"] for row in kept] == [before]
    sheet = await service.record(after, day + dt.timedelta(days=1), entry(lea, "present", 6))
    assert _by_participant(sheet)[str(lea)]["status"] == "present"


async def test_a_day_sheet_shows_who_was_recorded_even_if_their_spell_changed_later(
    service: AttendanceService,
) -> None:
    workshop = await service.workshop()
    lea = await service.placed(workshop)
    await service.record(workshop, weekday(5), entry(lea, "excused"))
    await service.sql("UPDATE placement_spells SET placed_on = $2 WHERE participant_id = $1", lea, weekday(6))
    response = await service.client.get(f"/v1/workshops/{workshop}/attendance/{weekday(5)}", headers=MANAGER)
    line = _by_participant(response.json())[str(lea)]
    assert (line["placed"], line["status"]) == (False, "excused")
