"""Seat capacities of the four workshops, read from a setting like `care=1,bike_metal=14`.

The programme has about 56 places, so an area the setting does not name gets 14 seats.
"""

from placement.domain.errors import WorkshopCapacitiesMustBeValid
from werkstattnetz_shared.events.vocabulary import WorkArea

DEFAULT_CAPACITY = 14


def capacities_from_setting(setting: str) -> dict[WorkArea, int]:
    """Every work area with its capacity; raises `WorkshopCapacitiesMustBeValid` naming the bad part."""
    capacities = dict.fromkeys(WorkArea, DEFAULT_CAPACITY)
    named: set[WorkArea] = set()
    for part in (piece.strip() for piece in setting.split(",")):
        if not part:
            continue
        area_text, separator, seats_text = (text.strip() for text in part.partition("="))
        if not separator:
            raise WorkshopCapacitiesMustBeValid(f"'{part}' is not of the form work_area=seats")
        area = _work_area(area_text)
        if area in named:
            raise WorkshopCapacitiesMustBeValid(f"'{area_text}' is given more than once")
        capacities[area] = _seats(area_text, seats_text)
        named.add(area)
    return capacities


def _work_area(text: str) -> WorkArea:
    try:
        return WorkArea(text)
    except ValueError:
        known = ", ".join(area.value for area in WorkArea)
        raise WorkshopCapacitiesMustBeValid(f"'{text}' is not a work area (known: {known})") from None


def _seats(area_text: str, text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise WorkshopCapacitiesMustBeValid(
            f"seats of '{area_text}' must be a whole number ≥ 0, not '{text}'"
        )
    return int(text)
