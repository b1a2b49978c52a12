"""Whether the figures are complete yet: not before the tables were recovered from their changelogs."""

from __future__ import annotations

from dataclasses import dataclass


class FiguresNotRecoveredYet(RuntimeError):
    """The worker is still reading its tables back; figures now would undercount."""


@dataclass
class WorkerState:
    recovered: bool = False
    events_counted: int = 0
    redeliveries: int = 0

    def require_recovered(self) -> None:
        if not self.recovered:
            raise FiguresNotRecoveredYet("the live tables are still being recovered from their changelogs")
