"""outcomes' settings: the common service settings with outcomes' own defaults."""

import datetime as dt

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from outcomes.domain.assessment_errors import CompetenceSettingMustBeValid
from outcomes.domain.competences import DEFAULT_COMPETENCES, competences_from_setting
from outcomes.domain.follow_up import DEFAULT_AFTER_DAYS, DEFAULT_GRACE_DAYS, FollowUpSchedule
from werkstattnetz_shared.settings import ServiceSettings


class OutcomesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    http_port: int = Field(default=8003, ge=1, le=65535)
    timezone: str = Field(default="Europe/Berlin", description="Decides what 'today' is for exit dates.")
    follow_up_after_days: int = Field(
        default=DEFAULT_AFTER_DAYS,
        ge=1,
        le=3650,
        description="Days after the exit date at which the six-month follow-up falls due (from midnight).",
    )
    follow_up_delay_s: float | None = Field(
        default=None,
        gt=0,
        le=365 * 24 * 3600,
        description="Tests and demonstrations: the follow-up falls due this many seconds after the exit "
        "was recorded, instead of FOLLOW_UP_AFTER_DAYS after the exit date.",
    )
    follow_up_grace_days: int = Field(
        default=DEFAULT_GRACE_DAYS,
        ge=0,
        le=365,
        description="Days a due follow-up may stay unrecorded before it is listed as overdue.",
    )
    follow_up_poll_s: float = Field(
        default=1.0, gt=0, le=60, description="How often the follow-up timer looks for due follow-ups."
    )
    competences: str = Field(
        default=DEFAULT_COMPETENCES,
        description="The competences assessed on the scale 1-5, comma-separated, e.g. "
        "`reliability,punctuality,teamwork`; a score for any other is refused.",
    )

    @field_validator("competences")
    @classmethod
    def _competences_must_be_valid(cls, setting: str) -> str:
        try:
            competences_from_setting(setting)
        except CompetenceSettingMustBeValid as violation:
            raise ValueError(violation.message) from violation
        return setting

    @property
    def competence_list(self) -> tuple[str, ...]:
        return competences_from_setting(self.competences)

    @property
    def follow_up_schedule(self) -> FollowUpSchedule:
        delay = self.follow_up_delay_s
        return FollowUpSchedule(
            after_days=self.follow_up_after_days,
            delay=dt.timedelta(seconds=delay) if delay is not None else None,
            grace=dt.timedelta(days=self.follow_up_grace_days),
            timezone=self.timezone,
        )
