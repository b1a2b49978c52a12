"""A `Decision`: the participants a use case changed and the events it publishes, in order.

Seats and offers that changed are tracked by the areas themselves (`Area.changed_vacancies`,
`Area.changed_offers`); the caller saves both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from placement.domain.events import PlacementEvent
from placement.domain.participant import Participant


@dataclass
class Decision:
    changed: list[Participant] = field(default_factory=list)
    events: list[PlacementEvent] = field(default_factory=list)

    def note_changed(self, participant: Participant) -> None:
        if all(other is not participant for other in self.changed):
            self.changed.append(participant)
