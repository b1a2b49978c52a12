"""placement's settings: the default workshops' seats, the areas placed by hand, the offers' time;
bad input is named, and the old WORKSHOP_CAPACITIES is refused rather than silently ignored."""

import datetime as dt

import pytest
from pydantic import ValidationError

from placement.domain.default_workshops import (
    DEFAULT_NAMES,
    DEFAULT_SEATS,
    default_workshops,
    manual_areas_from_setting,
    seats_per_area_from_setting,
)
from placement.domain.errors import SettingMustBeValid
from placement.settings import PlacementSettings
from werkstattnetz_shared.events.vocabulary import WorkArea

DSN = "postgresql://placement@127.0.0.1/placement"


def test_an_empty_setting_gives_every_area_fourteen_seats_about_56_in_all() -> None:
    seats = seats_per_area_from_setting("")
    assert seats == dict.fromkeys(WorkArea, DEFAULT_SEATS)
    assert sum(seats.values()) == 56


def test_named_areas_get_their_seats_and_the_rest_the_default() -> None:
    seats = seats_per_area_from_setting(" care = 1 , bike_metal=20,")
    assert (seats[WorkArea.CARE], seats[WorkArea.BIKE_METAL]) == (1, 20)
    assert seats[WorkArea.GARDEN_LANDSCAPE] == seats[WorkArea.BUILDING_SERVICES] == DEFAULT_SEATS
    assert seats_per_area_from_setting("garden_landscape=0")[WorkArea.GARDEN_LANDSCAPE] == 0


def test_the_default_workshops_are_one_per_area_with_its_german_name() -> None:
    workshops = default_workshops(seats_per_area_from_setting("care=6"))
    assert [(w.work_area, w.name, w.seats) for w in workshops] == [
        (area, DEFAULT_NAMES[area], 6 if area is WorkArea.CARE else DEFAULT_SEATS) for area in WorkArea
    ]
    assert all(w.opening_days == (1, 2, 3, 4, 5) and w.lead_instructor is None for w in workshops)
    assert len({w.workshop_id for w in workshops}) == 4


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("woodwork=3", "'woodwork' is not a work area"),
        ("care", "not of the form work_area=seats"),
        ("care=-1", "whole number"),
        ("care=two", "whole number"),
        ("care=1.5", "whole number"),
        ("care=", "whole number"),
        ("care=²", "whole number"),
        ("care=1,care=2", "more than once"),
    ],
)
def test_a_bad_seat_setting_is_refused_naming_what_is_wrong(setting: str, complaint: str) -> None:
    with pytest.raises(SettingMustBeValid, match=complaint) as raised:
        seats_per_area_from_setting(setting)
    assert raised.value.field == "DEFAULT_WORKSHOP_SEATS"


def test_areas_placed_by_hand_are_named_by_their_work_area() -> None:
    assert manual_areas_from_setting("") == frozenset()
    assert manual_areas_from_setting(" care, garden_landscape ") == {WorkArea.CARE, WorkArea.GARDEN_LANDSCAPE}
    with pytest.raises(SettingMustBeValid, match="'kitchen' is not a work area") as raised:
        manual_areas_from_setting("care,kitchen")
    assert raised.value.field == "MANUAL_PLACEMENT_AREAS"


def test_settings_read_from_the_environment_make_the_placement_policy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", DSN)
    monkeypatch.setenv("DEFAULT_WORKSHOP_SEATS", "care=1")
    monkeypatch.setenv("MANUAL_PLACEMENT_AREAS", "garden_landscape")
    monkeypatch.setenv("OFFER_VALID_HOURS", "0.5")
    settings = PlacementSettings()
    assert settings.default_seats[WorkArea.CARE] == 1
    policy = settings.placement_policy
    assert policy.offer_valid_for == dt.timedelta(minutes=30)
    assert not policy.places_on_enrolment(WorkArea.GARDEN_LANDSCAPE)
    assert policy.places_on_enrolment(WorkArea.CARE)
    assert settings.http_port == 8002


def test_by_default_every_area_places_on_enrolment_and_offers_run_72_hours() -> None:
    policy = PlacementSettings(database_url=DSN).placement_policy
    assert policy.offer_valid_for == dt.timedelta(hours=72)
    assert all(policy.places_on_enrolment(area) for area in WorkArea)


def test_settings_refuse_bad_values_and_unknown_time_zones() -> None:
    with pytest.raises(ValidationError, match="is not a work area"):
        PlacementSettings(database_url=DSN, default_workshop_seats="kitchen=4")
    with pytest.raises(ValidationError, match="is not a work area"):
        PlacementSettings(database_url=DSN, manual_placement_areas="kitchen")
    with pytest.raises(ValidationError, match="offer_valid_hours"):
        PlacementSettings(database_url=DSN, offer_valid_hours=0)
    with pytest.raises(ValidationError, match="unknown time zone"):
        PlacementSettings(database_url=DSN, timezone="Mars/Olympus")


def test_the_old_capacities_setting_is_refused_with_what_replaced_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSHOP_CAPACITIES", "care=1")
    with pytest.raises(ValidationError, match="DEFAULT_WORKSHOP_SEATS"):
        PlacementSettings(database_url=DSN)
