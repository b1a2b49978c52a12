"""The WORKSHOP_CAPACITIES setting: named areas get their seats, the others 14; bad input is named."""

import pytest
from pydantic import ValidationError

from placement.domain.capacities import DEFAULT_CAPACITY, capacities_from_setting
from placement.domain.errors import WorkshopCapacitiesMustBeValid
from placement.settings import PlacementSettings
from werkstattnetz_shared.events.vocabulary import WorkArea


def test_an_empty_setting_gives_every_area_fourteen_seats_about_56_in_all() -> None:
    capacities = capacities_from_setting("")
    assert capacities == dict.fromkeys(WorkArea, DEFAULT_CAPACITY)
    assert sum(capacities.values()) == 56


def test_named_areas_get_their_seats_and_the_rest_the_default() -> None:
    capacities = capacities_from_setting(" care = 1 , bike_metal=20,")
    assert capacities[WorkArea.CARE] == 1
    assert capacities[WorkArea.BIKE_METAL] == 20
    assert capacities[WorkArea.GARDEN_LANDSCAPE] == DEFAULT_CAPACITY
    assert capacities[WorkArea.BUILDING_SERVICES] == DEFAULT_CAPACITY


def test_zero_seats_is_allowed() -> None:
    assert capacities_from_setting("garden_landscape=0")[WorkArea.GARDEN_LANDSCAPE] == 0


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
def test_a_bad_setting_is_refused_naming_what_is_wrong(setting: str, complaint: str) -> None:
    with pytest.raises(WorkshopCapacitiesMustBeValid, match=complaint) as raised:
        capacities_from_setting(setting)
    assert raised.value.field == "WORKSHOP_CAPACITIES"


def test_settings_read_capacities_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://placement@127.0.0.1/placement")
    monkeypatch.setenv("WORKSHOP_CAPACITIES", "care=1")
    settings = PlacementSettings()
    assert settings.capacities[WorkArea.CARE] == 1
    assert settings.http_port == 8002


def test_settings_refuse_bad_capacities_and_unknown_time_zones() -> None:
    with pytest.raises(ValidationError, match="is not a work area"):
        PlacementSettings(database_url="postgresql://x@h/d", workshop_capacities="kitchen=4")
    with pytest.raises(ValidationError, match="unknown time zone"):
        PlacementSettings(database_url="postgresql://x@h/d", timezone="Mars/Olympus")
