"""The competences assessed and their fixed scale, read from the `COMPETENCES` setting."""

from __future__ import annotations

import re

from outcomes.domain.assessment_errors import CompetenceSettingMustBeValid

SCALE_MIN = 1
SCALE_MAX = 5
"""1 = hardly shown … 5 = shown reliably and independently; fixed, so scores stay comparable."""

DEFAULT_COMPETENCES = "reliability,punctuality,teamwork,initiative,quality_of_work,communication"

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


def competences_from_setting(setting: str) -> tuple[str, ...]:
    """`reliability,punctuality,…` → the names in order; refuses an empty list, odd names and
    repetitions, so a typo fails the start instead of refusing every assessment."""
    names = tuple(name.strip() for name in setting.split(",") if name.strip())
    if not names:
        raise CompetenceSettingMustBeValid("COMPETENCES must name at least one competence")
    for name in names:
        if not _NAME.match(name):
            raise CompetenceSettingMustBeValid(
                f"COMPETENCES: {name!r} is no competence name (lower-case letters, digits, underscores)"
            )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise CompetenceSettingMustBeValid(f"COMPETENCES names {', '.join(repeated)} more than once")
    return names
