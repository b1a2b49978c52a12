"""How a webhook call proves it came from us and was not replayed: an HMAC over timestamp and body.

The scheme follows the common `v1=<hex>` convention (as Stripe's), so partners can verify it with
a few lines of code in any language: HMAC-SHA256 keyed with the subscription's secret over
`"<unix timestamp>." + body`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Literal

SIGNATURE_HEADER = "Werkstattnetz-Signature"
TIMESTAMP_HEADER = "Werkstattnetz-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"
EVENT_TYPE_HEADER = "Werkstattnetz-Event"

SCHEME = "v1"
DEFAULT_TOLERANCE_S = 300

# Fixed forever: changing it would give every retried delivery a new key, and partners would
# process it twice.
_IDEMPOTENCY_NAMESPACE = uuid.UUID("0d5b6f0e-3c2a-5b8e-9a41-7f0c2d9e6b13")

RejectionReason = Literal["malformed", "stale_timestamp", "mismatch"]


class SignatureRejected(Exception):
    def __init__(self, reason: RejectionReason) -> None:
        super().__init__(f"webhook signature rejected: {reason}")
        self.reason: RejectionReason = reason


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The value of the signature header for `body` sent at `timestamp` (Unix seconds)."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def verify(
    secret: str,
    timestamp_header: str | None,
    signature_header: str | None,
    body: bytes,
    now: int,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
) -> None:
    """Raise `SignatureRejected` unless one `v1=` value of `signature_header` signs `body` with `secret`.

    Several comma-separated values are accepted so a sender can sign with the old and the new
    secret while a partner switches over. The timestamp must lie within `tolerance_s` of `now`
    either way, which bounds how long a captured call can be replayed.
    """
    timestamp = _timestamp(timestamp_header)
    candidates = _signed_values(signature_header)
    if abs(now - timestamp) > tolerance_s:
        raise SignatureRejected("stale_timestamp")
    expected = signature(secret, timestamp, body).encode()
    # Compare against every candidate, so the time taken does not tell which one came close; as
    # bytes, because compare_digest refuses str with non-ASCII characters a header may carry.
    matches = [hmac.compare_digest(expected, candidate.encode()) for candidate in candidates]
    if not any(matches):
        raise SignatureRejected("mismatch")


def idempotency_key(trigger_event_id: uuid.UUID, subscription_id: uuid.UUID) -> uuid.UUID:
    """The same for every attempt to deliver one event to one subscription, so partners can deduplicate."""
    return uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{trigger_event_id}/{subscription_id}")


def generate_secret() -> str:
    return secrets.token_urlsafe(32)


def _timestamp(header: str | None) -> int:
    text = (header or "").strip()
    if not text.isascii() or not text.isdigit():
        raise SignatureRejected("malformed")
    return int(text)


def _signed_values(header: str | None) -> list[str]:
    """The `v1=` values of the header; values of other schemes are skipped, as a newer sender may add them."""
    values = [part.strip() for part in (header or "").split(",")]
    ours = [value for value in values if value.startswith(f"{SCHEME}=") and len(value) > len(SCHEME) + 1]
    if not ours:
        raise SignatureRejected("malformed")
    return ours
