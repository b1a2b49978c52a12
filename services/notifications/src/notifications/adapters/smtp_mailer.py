"""Sends a delivery as a mail with plain-text and HTML parts over SMTP (aiosmtplib).

Connections are kept open between mails: a burst of deliveries then costs one MAIL, RCPT and DATA
exchange each instead of a new connection, greeting, EHLO (and STARTTLS and login) and QUIT. Each
of the dispatcher's senders uses one connection at a time; a connection idle for longer than
`KEEP_IDLE_S` is closed instead of reused (servers drop idle clients after a few minutes), and a
reused one the server has dropped anyway is replaced once, transparently. Should the server have
dropped it after taking the message but before saying so, the mail is sent again with the same
Message-ID: the same at-least-once the dispatcher already gives (see application/sending.py).
"""

from __future__ import annotations

import asyncio
import socket
import time
from dataclasses import dataclass
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import format_datetime, formataddr, parseaddr

import aiosmtplib

from notifications.application.ports import NotDelivered
from notifications.domain.delivery import Delivery
from notifications.settings import NotificationsSettings

KEEP_IDLE_S = 30.0


@dataclass(frozen=True)
class _Connection:
    client: aiosmtplib.SMTP
    reused: bool


class _DroppedWhileIdle(Exception):
    """A kept connection turned out to be closed by the server: try a new one."""


class SmtpMailer:
    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings
        self._idle: list[tuple[aiosmtplib.SMTP, float]] = []
        # aiosmtplib would look the name up for each connection's EHLO, in a worker thread.
        self._local_hostname: str | None = None

    async def send(self, delivery: Delivery) -> None:
        message = mail_message(delivery)
        try:
            try:
                await self._send_on(await self._connection(reuse=True), message)
            except _DroppedWhileIdle:
                await self._send_on(await self._connection(reuse=False), message)
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise NotDelivered(f"recipient refused: {error}", permanent=_all_permanent(error)) from error
        except aiosmtplib.SMTPResponseException as error:
            # 5xx: the server refuses this mail for good; 4xx: try again later.
            raise NotDelivered(f"SMTP {error.code}: {error.message}", permanent=error.code >= 500) from error
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise NotDelivered(f"{type(error).__name__}: {error}") from error

    async def close(self) -> None:
        """Say goodbye on every kept connection (at shutdown)."""
        idle, self._idle = self._idle, []
        for client, _ in idle:
            try:
                await client.quit(timeout=1.0)
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                client.close()

    async def _send_on(self, connection: _Connection, message: Message) -> None:
        client = connection.client
        try:
            await client.send_message(message)
        except aiosmtplib.SMTPServerDisconnected as error:
            client.close()
            if connection.reused:
                raise _DroppedWhileIdle from error
            raise
        except BaseException:
            client.close()  # in an unknown state (a refusal, a timeout, a cancellation): never reused
            raise
        self._idle.append((client, time.monotonic()))

    async def _connection(self, *, reuse: bool) -> _Connection:
        now = time.monotonic()
        while reuse and self._idle:
            client, idle_since = self._idle.pop()
            if client.is_connected and now - idle_since < KEEP_IDLE_S:
                return _Connection(client, reused=True)
            client.close()
        settings = self._settings
        if self._local_hostname is None:
            self._local_hostname = await asyncio.to_thread(socket.getfqdn)
        client = aiosmtplib.SMTP(
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            # False means plain SMTP even if the server offers STARTTLS (a local sink); True
            # insists on it, so credentials never cross the network in the clear.
            start_tls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_s,
            local_hostname=self._local_hostname,
        )
        await client.connect()
        return _Connection(client, reused=False)


def _all_permanent(error: aiosmtplib.SMTPRecipientsRefused) -> bool:
    return all(refusal.code >= 500 for refusal in error.recipients)


def mail_message(delivery: Delivery) -> Message:
    """The same delivery always becomes the same mail, down to Message-ID and Date.

    Built with the `compat32` classes rather than `EmailMessage`: the modern API parses every
    header it is given and refolds it when flattened, which made building and flattening the mail
    the largest part of notifications' CPU per message. Non-ASCII headers are encoded here
    (RFC 2047), bodies are UTF-8 in quoted-printable, and header values are one line each.
    """
    text = _text_part(delivery.body, "plain")
    message: Message = text
    if delivery.html_body:
        message = MIMEMultipart("alternative", _subparts=[text, _text_part(delivery.html_body, "html")])
    message["From"] = _address(delivery.sender)
    message["To"] = _address(delivery.recipient)
    message["Subject"] = _text_header("Subject", delivery.subject)
    message["Message-ID"] = _one_line(delivery.message_id)
    message["Date"] = format_datetime(delivery.created_at)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to a robot
    message["Content-Language"] = delivery.language.value
    return message


_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # readable in the raw mail, unlike base64


def _text_part(content: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    part.set_payload(content, _UTF8)
    return part


def _one_line(value: str) -> str:
    """A header value never spans lines: a line break in it would start a header of its own."""
    return " ".join(value.split())


def _text_header(name: str, value: str) -> str:
    value = _one_line(value)
    return value if value.isascii() else Header(value, "utf-8", header_name=name).encode()  # RFC 2047


def _address(value: str) -> str:
    name, address = parseaddr(_one_line(value))
    return formataddr((name, address), charset="utf-8") if name else address
