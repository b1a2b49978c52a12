"""intake's settings: the common service settings plus the programme's eligibility limits."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from intake.domain.eligibility import EligibilityRules
from werkstattnetz_shared.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    http_port: int = Field(default=8001, ge=1, le=65535)
    timezone: str = Field(default="Europe/Berlin", description="Decides what 'today' is for every date.")
    eligible_age_min: int = Field(default=15, ge=10, le=30, description="Youngest age at enrolment.")
    eligible_age_max: int = Field(default=25, ge=10, le=35, description="Oldest age at enrolment.")
    guardian_consent_below_age: int = Field(
        default=16, ge=0, le=21, description="Below this age a guardian's consent is needed in addition."
    )

    @field_validator("timezone")
    @classmethod
    def _timezone_must_exist(cls, timezone: str) -> str:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone '{timezone}'") from error
        return timezone

    @model_validator(mode="after")
    def _ages_in_order(self) -> "IntakeSettings":
        if self.eligible_age_min > self.eligible_age_max:
            raise ValueError("ELIGIBLE_AGE_MIN must not exceed ELIGIBLE_AGE_MAX")
        return self

    @property
    def eligibility_rules(self) -> EligibilityRules:
        return EligibilityRules(
            youngest_age=self.eligible_age_min,
            oldest_age=self.eligible_age_max,
            guardian_consent_below_age=self.guardian_consent_below_age,
        )
