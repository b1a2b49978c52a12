"""The port mail goes out through; the SMTP adapter implements it."""

from typing import Protocol

from notifications.domain.delivery import Delivery


class MailNotSent(Exception):
    """The mail server could not be reached or did not accept the mail; worth another attempt."""


class Mailer(Protocol):
    async def send(self, delivery: Delivery) -> None:
        """Return once the mail server accepted the mail; raise `MailNotSent` otherwise."""
