"""Who may keep a workshop's attendance, which days and entries are valid, and what a recording changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest

from placement.domain.attendance import (
    Recorder,
    apply_entries,
    check_day_may_be_recorded,
    check_entries,
    check_may_keep_attendance,
)
from placement.domain.attendance_errors import (
    AttendanceDayNotInFuture,
    AttendanceEntriesInvalid,
    AttendanceRecordedInAnotherWorkshop,
    MustLeadWorkshop,
    WorkshopMustBeOpenOnDay,
)
from tests.unit.placement.attendance_builders import (
    EXCUSED,
    MONDAY,
    NOW,
    PRESENT,
    SICK,
    TODAY,
    UNEXCUSED,
    entry,
    record,
    workshop,
)


def test_a_lead_keeps_the_attendance_of_the_workshops_they_lead_only() -> None:
    check_may_keep_attendance(Recorder("lena.lead", for_every_workshop=False), workshop(lead="lena.lead"))
    with pytest.raises(MustLeadWorkshop, match="only the lead"):
        check_may_keep_attendance(Recorder("lena.lead", for_every_workshop=False), workshop(lead="otto"))
    with pytest.raises(MustLeadWorkshop):
        check_may_keep_attendance(Recorder("lena.lead", for_every_workshop=False), workshop(lead=None))


def test_a_manager_keeps_the_attendance_of_every_workshop() -> None:
    check_may_keep_attendance(Recorder("mara", for_every_workshop=True), workshop(lead="otto"))
    check_may_keep_attendance(Recorder("mara", for_every_workshop=True), workshop(lead=None))


def test_today_and_past_opening_days_may_be_recorded() -> None:
    check_day_may_be_recorded(workshop(), TODAY, TODAY)
    check_day_may_be_recorded(workshop(), MONDAY, TODAY)
    check_day_may_be_recorded(workshop(), dt.date(1990, 1, 1), TODAY)


def test_a_day_after_today_is_refused() -> None:
    with pytest.raises(AttendanceDayNotInFuture, match="2026-11-26 is after today") as refused:
        check_day_may_be_recorded(workshop(), TODAY + dt.timedelta(days=1), TODAY)
    assert refused.value.field == "day"


def test_a_day_the_workshop_is_closed_is_refused() -> None:
    saturday = dt.date(2026, 11, 21)
    with pytest.raises(WorkshopMustBeOpenOnDay, match="closed on Saturdays"):
        check_day_may_be_recorded(workshop(), saturday, TODAY)
    check_day_may_be_recorded(workshop(opening_days=frozenset({6})), saturday, TODAY)
    with pytest.raises(WorkshopMustBeOpenOnDay):
        check_day_may_be_recorded(workshop(opening_days=frozenset({1, 2})), TODAY, TODAY)


def test_entries_of_placed_participants_pass() -> None:
    lea, ben = uuid.uuid4(), uuid.uuid4()
    check_entries([entry(lea, PRESENT, "6.5"), entry(ben, SICK)], {lea, ben}, uuid.uuid4(), MONDAY)


def test_every_failed_entry_is_named_with_its_field_and_rule() -> None:
    lea, ben, stranger = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    entries = [entry(lea, PRESENT, "0"), entry(stranger, EXCUSED), entry(ben, SICK), entry(ben, UNEXCUSED)]
    with pytest.raises(AttendanceEntriesInvalid) as refused:
        check_entries(entries, {lea, ben}, uuid.uuid4(), MONDAY)
    failures = [(f.field, f.rule) for f in refused.value.failures()]
    assert failures == [
        ("entries.0.hours_present", "present_needs_hours_present"),
        ("entries.1.participant_id", "participant_must_be_placed_in_workshop_on_day"),
        ("entries.3.participant_id", "each_participant_once"),
    ]
    assert str(stranger) in refused.value.failures()[1].message
    assert "2026-11-23" in refused.value.failures()[1].message


def test_an_absence_may_carry_the_hours_before_someone_left() -> None:
    lea = uuid.uuid4()
    check_entries([entry(lea, SICK, "2")], {lea}, uuid.uuid4(), MONDAY)


def test_a_first_recording_makes_new_entries_by_whoever_recorded() -> None:
    shop, lea = workshop(), uuid.uuid4()
    changes = apply_entries(shop, MONDAY, [entry(lea, PRESENT, "6")], {}, recorded_by="lena.lead", now=NOW)
    [new] = changes.new
    assert (new.participant_id, new.day, new.workshop_id, new.status) == (
        lea,
        MONDAY,
        shop.workshop_id,
        PRESENT,
    )
    assert (new.version, new.recorded_by, new.recorded_at) == (1, "lena.lead", NOW)
    assert changes.corrected == []


def test_a_correction_keeps_the_earlier_version_and_names_who_changed_it() -> None:
    shop, lea = workshop(), uuid.uuid4()
    earlier = record(lea, UNEXCUSED, workshop_id=shop.workshop_id, by="lena.lead")
    changes = apply_entries(shop, MONDAY, [entry(lea, SICK)], {lea: earlier}, recorded_by="mara", now=NOW)
    [correction] = changes.corrected
    assert correction.earlier == earlier
    assert correction.now == dataclasses.replace(
        earlier, status=SICK, version=2, recorded_by="mara", recorded_at=NOW
    )
    assert changes.new == []
    assert changes.written == [correction.now]


def test_sending_the_same_entry_again_changes_nothing() -> None:
    shop, lea = workshop(), uuid.uuid4()
    earlier = record(lea, PRESENT, hours="6.50", workshop_id=shop.workshop_id)
    changes = apply_entries(
        shop, MONDAY, [entry(lea, PRESENT, "6.5")], {lea: earlier}, recorded_by="x", now=NOW
    )
    assert changes.written == []


def test_other_hours_are_a_correction_too() -> None:
    shop, lea = workshop(), uuid.uuid4()
    earlier = record(lea, PRESENT, hours="6", workshop_id=shop.workshop_id)
    changes = apply_entries(
        shop, MONDAY, [entry(lea, PRESENT, "4")], {lea: earlier}, recorded_by="x", now=NOW
    )
    assert [c.now.hours_present for c in changes.corrected] == [4]


def test_a_day_kept_by_another_workshop_is_a_conflict() -> None:
    shop, other, lea = workshop(), uuid.uuid4(), uuid.uuid4()
    earlier = record(lea, PRESENT, hours="3", workshop_id=other)
    with pytest.raises(AttendanceRecordedInAnotherWorkshop) as refused:
        apply_entries(shop, MONDAY, [entry(lea, PRESENT, "3")], {lea: earlier}, recorded_by="x", now=NOW)
    assert refused.value.conflicting_id == other
    assert refused.value.field == "entries.0.participant_id"
