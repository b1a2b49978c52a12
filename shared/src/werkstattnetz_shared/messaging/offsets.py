"""Offsets of handled messages that still wait to be committed, committed in batches.

A synchronous commit after every message costs a broker round trip each; the inbox already makes
a redelivery harmless, so offsets are committed every `every_messages` messages or `every_s`
seconds, and whenever partitions are revoked or the consumer stops.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from aiokafka import TopicPartition


class PendingOffsets:
    def __init__(self, *, every_messages: int = 100, every_s: float = 1.0) -> None:
        self._every_messages = every_messages
        self._every_s = every_s
        self._next: dict[TopicPartition, int] = {}
        self._since_commit = 0
        self._last_commit = time.monotonic()

    def done(self, tp: TopicPartition, next_offset: int) -> None:
        """The message before `next_offset` is handled (or parked, or skipped)."""
        self._next[tp] = next_offset
        self._since_commit += 1

    @property
    def commit_is_due(self) -> bool:
        if not self._next:
            return False
        return (
            self._since_commit >= self._every_messages
            or time.monotonic() - self._last_commit >= self._every_s
        )

    def take(self, belongs: Callable[[TopicPartition], bool]) -> dict[TopicPartition, int]:
        """Remove and return the offsets of the partitions `belongs` selects."""
        taken = {tp: offset for tp, offset in self._next.items() if belongs(tp)}
        for tp in taken:
            del self._next[tp]
        if not self._next:
            self._since_commit = 0
        self._last_commit = time.monotonic()
        return taken

    def put_back(self, offsets: Mapping[TopicPartition, int]) -> None:
        """A commit that failed for a passing reason is tried again with newer offsets, if any."""
        for tp, offset in offsets.items():
            self._next[tp] = max(offset, self._next.get(tp, offset))

    def forget(self, partitions: set[TopicPartition] | frozenset[TopicPartition]) -> None:
        for tp in partitions:
            self._next.pop(tp, None)

    def __len__(self) -> int:
        return len(self._next)
