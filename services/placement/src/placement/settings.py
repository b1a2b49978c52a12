"""placement's settings: the common service settings plus the workshops' seat capacities."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from placement.domain.capacities import capacities_from_setting
from placement.domain.errors import WorkshopCapacitiesMustBeValid
from werkstattnetz_shared.events.vocabulary import WorkArea
from werkstattnetz_shared.settings import ServiceSettings


class PlacementSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    http_port: int = Field(default=8002, ge=1, le=65535)
    timezone: str = Field(default="Europe/Berlin", description="Decides what 'today' is for placements.")
    workshop_capacities: str = Field(
        default="",
        description="Seats per work area, e.g. `care=1,bike_metal=14`; unnamed areas get 14. "
        "Applied to the workshops table at every start.",
    )

    @field_validator("workshop_capacities")
    @classmethod
    def _capacities_must_be_valid(cls, setting: str) -> str:
        try:
            capacities_from_setting(setting)
        except WorkshopCapacitiesMustBeValid as violation:
            raise ValueError(violation.message) from violation
        return setting

    @field_validator("timezone")
    @classmethod
    def _timezone_must_exist(cls, timezone: str) -> str:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone '{timezone}'") from error
        return timezone

    @property
    def capacities(self) -> dict[WorkArea, int]:
        return capacities_from_setting(self.workshop_capacities)
