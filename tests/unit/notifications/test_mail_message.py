"""A delivery becomes a standard mail: what a mail client parses out of our bytes is what we meant."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from email.message import EmailMessage

from aiosmtplib.email import flatten_message

from notifications.adapters.smtp_mailer import mail_message
from notifications.domain.delivery import Delivery
from notifications.domain.kinds import Language
from tests.unit.notifications.test_delivery_lifecycle import pending_delivery


def as_received(delivery: Delivery) -> EmailMessage:
    """Flattened as aiosmtplib sends it, parsed as a modern mail client would."""
    parsed = email.message_from_bytes(flatten_message(mail_message(delivery)), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_german_text_survives_headers_and_both_parts() -> None:
    subject = "Platz vergeben: Garten- und Landschaftsbau für Teilnehmende · Woche 48 " * 2
    delivery = dataclasses.replace(
        pending_delivery(),
        recipient="Jörg Weiß <joerg@werkstatt.example>",
        subject=subject,
        body="Hallo,\nein Platz ist vergeben. Grüße\n",
        html_body="<p>Hallo, ein Platz ist vergeben. Grüße</p>\n",
        language=Language.GERMAN,
    )
    mail = as_received(delivery)

    assert mail["Subject"] == subject.strip()
    assert mail["To"] == "Jörg Weiß <joerg@werkstatt.example>"
    assert mail["To"].addresses[0].addr_spec == "joerg@werkstatt.example"
    assert str(mail["Message-ID"]).strip() == delivery.message_id
    assert mail["Content-Language"] == "de"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content_type() == "multipart/alternative"
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content() == "Hallo,\nein Platz ist vergeben. Grüße\n"
    assert html.get_content() == "<p>Hallo, ein Platz ist vergeben. Grüße</p>\n"


def test_a_mail_without_html_is_plain_text() -> None:
    mail = as_received(dataclasses.replace(pending_delivery(), body="nur Text", html_body=None))
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content() == "nur Text"


def test_a_line_break_in_a_header_value_cannot_start_a_header_of_its_own() -> None:
    delivery = dataclasses.replace(pending_delivery(), subject="Platz\r\nBcc: mallory@example.org")
    mail = as_received(delivery)
    assert mail["Subject"] == "Platz Bcc: mallory@example.org"
    assert mail["Bcc"] is None
