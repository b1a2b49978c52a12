"""Batched offset commits: when a commit is due, and which offsets it takes."""

from __future__ import annotations

import time

from aiokafka import TopicPartition

from werkstattnetz_shared.messaging.offsets import PendingOffsets

A, B = TopicPartition("t", 0), TopicPartition("t", 1)


def test_a_commit_is_due_after_enough_messages() -> None:
    offsets = PendingOffsets(every_messages=3, every_s=3600)
    for offset in range(2):
        offsets.done(A, offset + 1)
    assert not offsets.commit_is_due
    offsets.done(B, 1)
    assert offsets.commit_is_due


def test_a_commit_is_due_after_enough_time() -> None:
    offsets = PendingOffsets(every_messages=1000, every_s=0.05)
    offsets.done(A, 1)
    assert not offsets.commit_is_due
    time.sleep(0.06)
    assert offsets.commit_is_due


def test_nothing_pending_is_never_due() -> None:
    offsets = PendingOffsets(every_messages=1, every_s=0)
    assert not offsets.commit_is_due


def test_take_returns_the_newest_offset_of_the_selected_partitions_only() -> None:
    offsets = PendingOffsets()
    offsets.done(A, 5)
    offsets.done(A, 6)
    offsets.done(B, 9)
    assert offsets.take(lambda tp: tp == A) == {A: 6}
    assert offsets.take(lambda tp: True) == {B: 9}
    assert len(offsets) == 0


def test_put_back_never_moves_an_offset_backwards() -> None:
    offsets = PendingOffsets()
    offsets.done(A, 5)
    taken = offsets.take(lambda tp: True)
    offsets.done(A, 8)  # handled while the failed commit was under way
    offsets.put_back(taken)
    assert offsets.take(lambda tp: True) == {A: 8}


def test_forgotten_partitions_are_not_committed() -> None:
    offsets = PendingOffsets()
    offsets.done(A, 5)
    offsets.done(B, 2)
    offsets.forget({A})
    assert offsets.take(lambda tp: True) == {B: 2}
