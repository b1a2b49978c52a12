"""The workshops created on placement's first start, and the settings that shape placing.

`DEFAULT_WORKSHOP_SEATS` (e.g. `care=6,bike_metal=14`) gives the seats of the one default
workshop per work area; an area it does not name gets 14 (the programme has about 56 places).
`MANUAL_PLACEMENT_AREAS` (e.g. `care,garden_landscape`) names the areas where an enrolment does
not take a free seat by itself.
"""

from __future__ import annotations

import uuid

from placement.domain.errors import SettingMustBeValid
from placement.domain.workshop import Workshop
from werkstattnetz_shared.events.vocabulary import WorkArea

DEFAULT_SEATS = 14
SEATS_SETTING = "DEFAULT_WORKSHOP_SEATS"
MANUAL_AREAS_SETTING = "MANUAL_PLACEMENT_AREAS"

DEFAULT_NAMES = {
    WorkArea.BIKE_METAL: "Fahrrad und Metall",
    WorkArea.GARDEN_LANDSCAPE: "Garten- und Landschaftspflege",
    WorkArea.BUILDING_SERVICES: "Gebäudeassistenz",
    WorkArea.CARE: "Betreuung und Pflege",
}


def default_workshops(seats_per_area: dict[WorkArea, int]) -> list[Workshop]:
    return [
        Workshop(uuid.uuid4(), area, DEFAULT_NAMES[area], seats_per_area.get(area, DEFAULT_SEATS))
        for area in WorkArea
    ]


def seats_per_area_from_setting(setting: str) -> dict[WorkArea, int]:
    """Every work area with its seats; raises `SettingMustBeValid` naming the bad part."""
    seats = dict.fromkeys(WorkArea, DEFAULT_SEATS)
    named: set[WorkArea] = set()
    for part in _parts(setting):
        area_text, separator, seats_text = (text.strip() for text in part.partition("="))
        if not separator:
            raise SettingMustBeValid(f"'{part}' is not of the form work_area=seats", SEATS_SETTING)
        area = _work_area(area_text, SEATS_SETTING)
        if area in named:
            raise SettingMustBeValid(f"'{area_text}' is given more than once", SEATS_SETTING)
        seats[area] = _seats(area_text, seats_text)
        named.add(area)
    return seats


def manual_areas_from_setting(setting: str) -> frozenset[WorkArea]:
    return frozenset(_work_area(part, MANUAL_AREAS_SETTING) for part in _parts(setting))


def _parts(setting: str) -> list[str]:
    return [part for part in (piece.strip() for piece in setting.split(",")) if part]


def _work_area(text: str, setting: str) -> WorkArea:
    try:
        return WorkArea(text)
    except ValueError:
        known = ", ".join(area.value for area in WorkArea)
        raise SettingMustBeValid(f"'{text}' is not a work area (known: {known})", setting) from None


def _seats(area_text: str, text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise SettingMustBeValid(
            f"seats of '{area_text}' must be a whole number ≥ 0, not '{text}'", SEATS_SETTING
        )
    return int(text)
