"""`NotificationFailed` goes onto a topic kept for months: the error it carries names no address."""

from __future__ import annotations

import types

import pytest

from notifications.adapters.published_events import without_addresses
from notifications.domain.delivery import RecipientKind


@pytest.mark.parametrize(
    ("recipient", "kind", "error", "expected"),
    [
        (
            "https://partner.example/hook?token=s3cret",
            RecipientKind.WEBHOOK,
            "https://partner.example/hook?token=s3cret answered HTTP 400",
            "<webhook> answered HTTP 400",
        ),
        (
            "lena@werkstatt.example",
            RecipientKind.STAFF,
            "recipient refused: {'lena@werkstatt.example': (550, '5.1.1 no such user')}",
            "recipient refused: {'<staff>': (550, '5.1.1 no such user')}",
        ),
        (
            "office@x.example",
            RecipientKind.OFFICE,
            "relay for other@y.example denied",
            "relay for <address> denied",
        ),
        ("", RecipientKind.STAFF, "see http://mx.example/why (421)", "see <url> (421)"),
    ],
)
def test_the_address_and_any_other_address_or_url_are_left_out(
    recipient: str, kind: RecipientKind, error: str, expected: str
) -> None:
    delivery = types.SimpleNamespace(recipient=recipient, recipient_kind=kind)
    assert without_addresses(error, delivery) == expected  # type: ignore[arg-type]
