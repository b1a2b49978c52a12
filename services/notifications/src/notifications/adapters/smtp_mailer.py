"""Sends a delivery as a mail with plain-text and HTML parts over SMTP (aiosmtplib), one
connection per mail."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from notifications.application.ports import NotDelivered
from notifications.domain.delivery import Delivery
from notifications.settings import NotificationsSettings


class SmtpMailer:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings

    async def send(self, delivery: Delivery) -> None:
        settings = self._settings
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        try:
            await aiosmtplib.send(
                mail_message(delivery),
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username,
                password=password,
                # False means plain SMTP even if the server offers STARTTLS (a local sink); True
                # insists on it, so credentials never cross the network in the clear.
                start_tls=settings.smtp_starttls,
                timeout=settings.smtp_timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise NotDelivered(f"recipient refused: {error}", permanent=_all_permanent(error)) from error
        except aiosmtplib.SMTPResponseException as error:
            # 5xx: the server refuses this mail for good; 4xx: try again later.
            raise NotDelivered(f"SMTP {error.code}: {error.message}", permanent=error.code >= 500) from error
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise NotDelivered(f"{type(error).__name__}: {error}") from error


def _all_permanent(error: aiosmtplib.SMTPRecipientsRefused) -> bool:
    return all(refusal.code >= 500 for refusal in error.recipients)


def mail_message(delivery: Delivery) -> EmailMessage:
    """The same delivery always becomes the same mail, down to Message-ID and Date."""
    message = EmailMessage()
    message["From"] = delivery.sender
    message["To"] = delivery.recipient
    message["Subject"] = delivery.subject
    message["Message-ID"] = delivery.message_id
    message["Date"] = format_datetime(delivery.created_at)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to a robot
    message.set_content(delivery.body)
    if delivery.html_body:
        message.add_alternative(delivery.html_body, subtype="html")
    # After the content: setting content replaces every Content-* header there was.
    message["Content-Language"] = delivery.language.value
    return message
