"""outcomes' settings: the common service settings with outcomes' own defaults."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from werkstattnetz_shared.settings import ServiceSettings


class OutcomesSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    http_port: int = Field(default=8003, ge=1, le=65535)
    timezone: str = Field(default="Europe/Berlin", description="Decides what 'today' is for exit dates.")
