"""A delivery is sent once, or retried with growing pauses and given up after bounded attempts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from notifications.domain.delivery import (
    Channel,
    Delivery,
    DeliveryMustHaveFailed,
    DeliveryStatus,
    RecipientKind,
    RetryPolicy,
    message_id_for,
)
from notifications.domain.errors import DeliveryNotPending
from notifications.domain.kinds import NotificationKind
from notifications.domain.occasions import TriggerEvent

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
POLICY = RetryPolicy(
    max_attempts=3, first_backoff=dt.timedelta(seconds=2), max_backoff=dt.timedelta(seconds=5)
)


def pending_delivery(trigger_event_id: uuid.UUID | None = None) -> Delivery:
    trigger = TriggerEvent(
        event_id=trigger_event_id or uuid.uuid4(), event_type="ParticipantPlaced", correlation_id=uuid.uuid4()
    )
    sender = "werkstattnetz@mail.example.org"
    return Delivery(
        delivery_id=uuid.uuid4(),
        trigger=trigger,
        participant_id=uuid.uuid4(),
        kind=NotificationKind.PLACEMENT.value,
        channel=Channel.EMAIL,
        recipient_kind=RecipientKind.STAFF,
        recipient_key="staff:cw-anna",
        recipient="anna@example.org",
        sender=sender,
        subject="s",
        body="b",
        message_id=message_id_for(trigger.event_id, sender, "placement", "staff:cw-anna"),
        status=DeliveryStatus.PENDING,
        attempts=0,
        created_at=NOW,
        next_attempt_at=NOW,
    )


def test_a_new_delivery_is_pending_and_due_at_once() -> None:
    delivery = pending_delivery()
    assert delivery.status is DeliveryStatus.PENDING
    assert delivery.attempts == 0
    assert delivery.next_attempt_at == NOW
    assert delivery.sent_at is None


def test_the_message_id_follows_from_event_kind_and_recipient_alone() -> None:
    trigger_event_id = uuid.uuid4()
    first, again = pending_delivery(trigger_event_id), pending_delivery(trigger_event_id)
    assert first.delivery_id != again.delivery_id
    assert first.message_id == again.message_id
    assert first.message_id.endswith("@mail.example.org>")
    assert pending_delivery().message_id != first.message_id
    other_recipient = message_id_for(trigger_event_id, "w@mail.example.org", "placement", "staff:lead-ben")
    assert other_recipient != first.message_id
    assert (
        message_id_for(trigger_event_id, "no-domain")
        == f"<notification.{trigger_event_id}@werkstattnetz.local>"
    )


def test_a_permanent_refusal_fails_at_once_and_only_a_failed_delivery_is_retried_by_hand() -> None:
    delivery = pending_delivery()
    with pytest.raises(DeliveryMustHaveFailed):
        delivery.retry_by_admin("admin-eva", NOW)
    delivery.record_failed_attempt("SMTP 550: no such user", NOW, POLICY, permanent=True)
    assert (delivery.status, delivery.attempts, delivery.permanent_failure) == (
        DeliveryStatus.FAILED,
        1,
        True,
    )
    delivery.retry_by_admin("admin-eva", NOW + dt.timedelta(minutes=5))
    assert (delivery.status, delivery.retried_by) == (DeliveryStatus.PENDING, "admin-eva")
    assert delivery.next_attempt_at == NOW + dt.timedelta(minutes=5)


def test_sending_counts_the_attempt_and_keeps_the_earlier_error() -> None:
    delivery = pending_delivery()
    delivery.record_failed_attempt("connection refused", NOW, POLICY)
    delivery.record_sent(NOW + dt.timedelta(seconds=3))
    assert delivery.status is DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert delivery.sent_at == NOW + dt.timedelta(seconds=3)
    assert delivery.last_error == "connection refused"


def test_failures_back_off_exponentially_then_give_up() -> None:
    delivery = pending_delivery()
    delivery.record_failed_attempt("refused 1", NOW, POLICY)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at == NOW + dt.timedelta(seconds=2)
    delivery.record_failed_attempt("refused 2", NOW, POLICY)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 2)
    assert delivery.next_attempt_at == NOW + dt.timedelta(seconds=4)
    delivery.record_failed_attempt("refused 3", NOW, POLICY)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.last_error == "refused 3"
    assert delivery.sent_at is None


def test_the_backoff_is_capped() -> None:
    assert POLICY.backoff_after(1) == dt.timedelta(seconds=2)
    assert POLICY.backoff_after(3) == dt.timedelta(seconds=5)
    assert POLICY.backoff_after(10_000) == dt.timedelta(seconds=5)


def test_a_long_error_is_cut() -> None:
    delivery = pending_delivery()
    delivery.record_failed_attempt("x" * 5000, NOW, POLICY)
    assert delivery.last_error is not None
    assert len(delivery.last_error) == 1000


@pytest.mark.parametrize("finish", ["sent", "failed"])
def test_a_finished_delivery_is_never_sent_or_failed_again(finish: str) -> None:
    delivery = pending_delivery()
    if finish == "sent":
        delivery.record_sent(NOW)
    else:
        for _ in range(POLICY.max_attempts):
            delivery.record_failed_attempt("refused", NOW, POLICY)
    with pytest.raises(DeliveryNotPending):
        delivery.record_sent(NOW)
    with pytest.raises(DeliveryNotPending):
        delivery.record_failed_attempt("refused", NOW, POLICY)
