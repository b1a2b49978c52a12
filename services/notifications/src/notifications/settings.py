"""notifications' settings: the common service settings plus the SMTP server and the addresses."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, StringConstraints, model_validator
from pydantic_settings import SettingsConfigDict

from werkstattnetz_shared.settings import ServiceSettings

DEFAULT_STAFF_EMAIL = "staff@werkstattnetz.local"

MailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+$")
]


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    http_port: int = Field(default=8004, ge=1, le=65535)
    timezone: str = Field(default="Europe/Berlin", description="Decides the day a waitlisting happened on.")

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=2525, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_s: float = Field(default=10.0, gt=0, description="Per SMTP conversation.")
    mail_from: MailAddress = "werkstattnetz@localhost"
    staff_email: MailAddress = Field(
        default=DEFAULT_STAFF_EMAIL,
        description="The programme office: told whenever a rule finds nobody in the staff directory.",
    )
    front_end_base_url: str = Field(
        default="http://localhost:3000",
        max_length=500,
        pattern=r"^https?://\S+$",
        description="Links in messages point to <base>/participants/<id> of the staff front-end.",
    )
    caseworker_wait_s: float = Field(
        default=600.0,
        ge=0,
        description="How long a message for the responsible caseworker waits for intake's assignment "
        "before the office is told instead.",
    )
    offer_reminder_lead_h: float = Field(
        default=24.0, ge=0, description="Intake staff are reminded this long before a seat offer expires."
    )
    digest_time: str = Field(
        default="07:00",
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="Local time of the daily digest.",
    )
    webhook_timeout_s: float = Field(default=10.0, gt=0, description="Per webhook call.")

    mail_max_attempts: int = Field(
        default=5, ge=1, description="Attempts (mail or webhook) before a delivery fails."
    )
    mail_retry_backoff_s: float = Field(default=2.0, ge=0, description="Wait after the first failure.")
    mail_retry_backoff_max_s: float = Field(default=300.0, ge=0)
    mail_poll_interval_s: float = Field(default=1.0, gt=0, description="Backstop for missed wake-ups.")
    mail_senders: int = Field(
        default=4,
        ge=1,
        le=32,
        description="Deliveries sent at once per replica: each waits on its mail server or webhook "
        "while the others go on (each holds a database connection meanwhile).",
    )

    @model_validator(mode="after")
    def _check_mail_settings(self) -> NotificationsSettings:
        if (self.smtp_username is None) != (self.smtp_password is None):
            raise ValueError("SMTP_USERNAME and SMTP_PASSWORD must be set together")
        # The default address only exists in development; in production mail would go nowhere.
        if self.environment == "production" and self.staff_email == DEFAULT_STAFF_EMAIL:
            raise ValueError("STAFF_EMAIL must be set in production")
        return self
