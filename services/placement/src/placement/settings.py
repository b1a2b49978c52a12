"""placement's settings: the common service settings plus the default workshops, which areas
place on enrolment, and how long a seat offer runs."""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from placement.domain.absence_streaks import DEFAULT_ABSENCE_THRESHOLD
from placement.domain.default_workshops import manual_areas_from_setting, seats_per_area_from_setting
from placement.domain.errors import SettingMustBeValid
from placement.domain.policy import PlacementPolicy
from werkstattnetz_shared.events.vocabulary import WorkArea
from werkstattnetz_shared.settings import ServiceSettings


class PlacementSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    http_port: int = Field(default=8002, ge=1, le=65535)
    timezone: str = Field(default="Europe/Berlin", description="Decides what 'today' is for placements.")
    default_workshop_seats: str = Field(
        default="",
        description="Seats of the default workshop of each work area, e.g. `care=1,bike_metal=14`; "
        "unnamed areas get 14. Used once, when the first start finds no workshop at all; after that "
        "admins change workshops through the API.",
    )
    manual_placement_areas: str = Field(
        default="",
        description="Work areas where an enrolment does not take a free seat by itself, e.g. `care`: "
        "the person waits and a free seat is offered to whoever is next (or placed by hand).",
    )
    offer_valid_hours: float = Field(
        default=72.0, gt=0, le=24 * 365, description="How long a seat offer may go unanswered (hours)."
    )
    offer_expiry_poll_s: float = Field(
        default=1.0, gt=0, le=60, description="How often the offer timer looks for offers that ran out."
    )
    workshop_capacities: str | None = Field(
        default=None, description="Replaced by DEFAULT_WORKSHOP_SEATS; refused so it is not silently ignored."
    )

    absence_threshold: int = Field(
        default=DEFAULT_ABSENCE_THRESHOLD,
        ge=1,
        le=60,
        description="Unexcused absences in a row that publish `AbsenceThresholdReached` (once per run).",
    )

    @field_validator("default_workshop_seats")
    @classmethod
    def _seats_must_be_valid(cls, setting: str) -> str:
        try:
            seats_per_area_from_setting(setting)
        except SettingMustBeValid as violation:
            raise ValueError(violation.message) from violation
        return setting

    @field_validator("manual_placement_areas")
    @classmethod
    def _areas_must_be_valid(cls, setting: str) -> str:
        try:
            manual_areas_from_setting(setting)
        except SettingMustBeValid as violation:
            raise ValueError(violation.message) from violation
        return setting

    @field_validator("workshop_capacities")
    @classmethod
    def _old_capacities_are_refused(cls, setting: str | None) -> None:
        if setting is not None:
            raise ValueError(
                "WORKSHOP_CAPACITIES is no longer read: workshops are records now. Set "
                "DEFAULT_WORKSHOP_SEATS (used on the first start) and change seats with "
                "PATCH /v1/workshops/{workshop_id}"
            )

    @field_validator("timezone")
    @classmethod
    def _timezone_must_exist(cls, timezone: str) -> str:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone '{timezone}'") from error
        return timezone

    @property
    def default_seats(self) -> dict[WorkArea, int]:
        return seats_per_area_from_setting(self.default_workshop_seats)

    @property
    def placement_policy(self) -> PlacementPolicy:
        return PlacementPolicy(
            offer_valid_for=dt.timedelta(hours=self.offer_valid_hours),
            manual_areas=manual_areas_from_setting(self.manual_placement_areas),
        )
