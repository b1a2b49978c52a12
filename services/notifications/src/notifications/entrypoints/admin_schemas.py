"""Request and response bodies of the admin API: the staff directory, rules and webhooks.

Not the table rows and not the domain types: the routes map between them explicitly. A webhook's
secret appears only in `WebhookWithSecret`, the answer to creating one and to rotating its secret.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from notifications.domain.directory import PreferredChannel, QuietHours, StaffMember
from notifications.domain.kinds import DEFAULT_LANGUAGE, Language, NotificationKind
from notifications.domain.rules import Audience, NotificationRule, RuleChannel, Timing
from notifications.domain.webhooks import WebhookSubscription
from werkstattnetz_shared.web.auth import StaffRole
from werkstattnetz_shared.web.request_models import NoControlCharacters, RequestModel

MAX_SUBJECT_LENGTH = 200  # as the staff_members table allows
MAX_URL_LENGTH = 2000

_HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _written_as_hh_mm(value: Any) -> Any:
    if isinstance(value, str) and _HH_MM.match(value):
        return value
    raise PydanticCustomError("time_written_as_hh_mm", "a time of day must be written as HH:MM, e.g. 22:00")


def _absolute_http_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises for a port that is no number or out of range
        absolute = parts.scheme in {"http", "https"} and bool(parts.hostname)
    except ValueError:  # e.g. a broken IPv6 literal
        absolute = False
    if not absolute or any(c.isspace() or not c.isprintable() for c in value):
        raise PydanticCustomError(
            "url_must_be_absolute_http",
            "the url must be an absolute http:// or https:// address without spaces",
        )
    return value


# Documented as what is accepted (HH:MM), not as pydantic's time format, which would allow seconds.
TimeOfDay = Annotated[
    dt.time,
    BeforeValidator(_written_as_hh_mm),
    WithJsonSchema({"type": "string", "pattern": _HH_MM.pattern, "examples": ["22:00"]}),
]
MailAddress = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s<>]+@[^@\s<>]+$")
]
Subject = Annotated[str, StringConstraints(min_length=1, max_length=MAX_SUBJECT_LENGTH), NoControlCharacters]
WebhookName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoControlCharacters
]
WebhookUrl = Annotated[str, StringConstraints(max_length=MAX_URL_LENGTH), AfterValidator(_absolute_http_url)]
Kinds = Annotated[list[NotificationKind], Field(min_length=1, max_length=50)]


# -- requests


class QuietHoursBody(RequestModel):
    from_: TimeOfDay = Field(alias="from", description="Local time the quiet hours begin, HH:MM.")
    until: TimeOfDay = Field(description="Local time they end, HH:MM; may be on the next day.")

    def quiet_hours(self) -> QuietHours:
        return QuietHours(self.from_, self.until)


class StaffMemberRequest(RequestModel):
    """The whole directory entry (PUT replaces it)."""

    email: MailAddress | None = None
    roles: list[StaffRole] = Field(default_factory=list, max_length=20)
    channel: PreferredChannel = PreferredChannel.EMAIL
    language: Language = DEFAULT_LANGUAGE
    quiet_hours: QuietHoursBody | None = None
    active: StrictBool = True


class OwnSettingsRequest(RequestModel):
    """Only the fields given change; `email` and `quiet_hours` may be null to clear them."""

    email: MailAddress | None = None
    # Documented without null: left out keeps the value; null is refused (it would clear nothing).
    channel: Annotated[
        PreferredChannel | None, WithJsonSchema({"type": "string", "enum": ["email", "inbox"]})
    ] = None
    language: Annotated[Language | None, WithJsonSchema({"type": "string", "enum": ["de", "en"]})] = None
    quiet_hours: QuietHoursBody | None = None

    @field_validator("channel", "language", mode="before")
    @classmethod
    def _given_not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError("value_must_not_be_null", "leave the field out to keep its value")
        return value


class RuleRequest(RequestModel):
    kind: NotificationKind
    audience: Audience
    role: StaffRole | None = Field(default=None, description="Only and always with the audience `role`.")
    subject: Subject | None = Field(default=None, description="Only and always with the audience `person`.")
    channel: RuleChannel = RuleChannel.PREFERRED
    timing: Timing = Timing.IMMEDIATE
    urgent: StrictBool = Field(default=False, description="Urgent messages ignore quiet hours.")


class NewWebhookRequest(RequestModel):
    name: WebhookName
    url: WebhookUrl
    kinds: Kinds


class WebhookChangeRequest(RequestModel):
    """Only the fields given change."""

    # Not Optional: left out keeps the value (the default None is never validated); null is
    # refused by the field's own type, and the documents show no null.
    url: WebhookUrl = None  # type: ignore[assignment]
    kinds: Kinds = None  # type: ignore[assignment]
    active: StrictBool = None  # type: ignore[assignment]


# -- answers


class QuietHoursView(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", examples=["22:00"])
    until: str = Field(examples=["07:00"])


class StaffMemberView(BaseModel):
    subject: str
    email: str | None
    roles: list[str]
    channel: str = Field(description="email (a mail and the inbox item) or inbox (the item only)")
    language: str
    quiet_hours: QuietHoursView | None
    active: bool


class StaffPage(BaseModel):
    items: list[StaffMemberView]
    next_after: str | None = Field(description="Pass as `after` to get the next page.")


class RuleView(BaseModel):
    rule_id: uuid.UUID
    kind: str
    audience: str
    role: str | None
    subject: str | None
    channel: str
    timing: str
    urgent: bool


class WebhookView(BaseModel):
    subscription_id: uuid.UUID
    name: str
    url: str
    kinds: list[str]
    active: bool


class WebhookWithSecret(WebhookView):
    secret: str = Field(description="The HMAC-SHA256 signing key. Shown only now: store it.")


def staff_member_view(member: StaffMember) -> StaffMemberView:
    quiet = member.quiet_hours
    return StaffMemberView(
        subject=member.subject,
        email=member.email,
        roles=sorted(member.roles),
        channel=member.channel.value,
        language=member.language.value,
        quiet_hours=QuietHoursView(from_=_hh_mm(quiet.start), until=_hh_mm(quiet.end)) if quiet else None,
        active=member.active,
    )


def rule_view(rule: NotificationRule) -> RuleView:
    return RuleView(
        rule_id=rule.rule_id,
        kind=rule.kind.value,
        audience=rule.audience.value,
        role=rule.role,
        subject=rule.subject,
        channel=rule.channel.value,
        timing=rule.timing.value,
        urgent=rule.urgent,
    )


def webhook_view(subscription: WebhookSubscription) -> WebhookView:
    return WebhookView(
        subscription_id=subscription.subscription_id,
        name=subscription.name,
        url=subscription.url,
        kinds=sorted(kind.value for kind in subscription.kinds),
        active=subscription.active,
    )


def webhook_with_secret(subscription: WebhookSubscription) -> WebhookWithSecret:
    return WebhookWithSecret(**webhook_view(subscription).model_dump(), secret=subscription.secret)


def _hh_mm(time: dt.time) -> str:
    return time.strftime("%H:%M")
