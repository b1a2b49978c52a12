"""Which stay in the programme each fact belongs to, decided by the facts themselves.

A participant who leaves and is referred again has a second stay (a new enrolment id). Facts are
assigned without regard to arrival order:

- an enrolment (one per enrolment id; a redelivered one with another event id is the same stay)
  opens a stay on its `enrolled_on`;
- a placement decision that names an enrolment's event as its cause belongs to that stay;
- any other placement fact, and every exit, belongs to the latest stay enrolled on or before its
  own day (ties by the moment the events occurred); one dated before every known enrolment goes to
  the first stay;
- follow-ups belong to the exit they name, else to the latest exit on or before their own day.

Until any enrolment of the participant is heard, their facts form one provisional stay without
enrolment: an exit heard first is already counted, and re-derived once the enrolment arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from outcomes_live.domain.facts import Fact, FactKind, ParticipantFacts

PLACEMENT_KINDS = (FactKind.PLACED, FactKind.WAITLISTED, FactKind.PLACEMENT_ENDED)
EXIT_KINDS = (FactKind.EXIT, FactKind.INTEGRATION)


@dataclass
class Stay:
    enrolment: Fact | None
    placement_facts: list[Fact] = field(default_factory=list)
    exit_facts: list[Fact] = field(default_factory=list)
    follow_ups: list[Fact] = field(default_factory=list)

    @property
    def exit(self) -> Fact | None:
        """The stay's exit: outcomes' ParticipantExited where heard (the first, should it have been
        published twice), else IntegrationAchieved, which states the same exit."""
        exits = sorted(self.exit_facts, key=lambda fact: (fact.kind != FactKind.EXIT, fact.at, fact.event_id))
        return exits[0] if exits else None


def stays_of(participant: ParticipantFacts) -> list[Stay]:
    enrolments = _distinct_enrolments(participant.of_kind(FactKind.ENROLMENT))
    stays = [Stay(enrolment) for enrolment in enrolments] or [Stay(enrolment=None)]
    by_enrolment_event = {stay.enrolment.event_id: stay for stay in stays if stay.enrolment}
    for fact in participant.of_kind(*PLACEMENT_KINDS):
        named = by_enrolment_event.get(fact.cause) if fact.cause else None
        (named or _stay_on(stays, fact)).placement_facts.append(fact)
    for fact in participant.of_kind(*EXIT_KINDS):
        _stay_on(stays, fact).exit_facts.append(fact)
    for fact in participant.of_kind(FactKind.FOLLOW_UP):
        followed = _stay_followed_up(stays, fact)
        if followed is not None:
            followed.follow_ups.append(fact)
    return stays


def _distinct_enrolments(enrolments: list[Fact]) -> list[Fact]:
    first_of_each: dict[str, Fact] = {}
    for fact in sorted(enrolments, key=lambda fact: (fact.at, fact.event_id)):
        first_of_each.setdefault(fact.stay_key or fact.event_id, fact)
    return sorted(first_of_each.values(), key=lambda fact: (fact.order, fact.event_id))


def _stay_on(stays: list[Stay], fact: Fact) -> Stay:
    begun = [stay for stay in stays if stay.enrolment is None or stay.enrolment.order <= fact.order]
    return begun[-1] if begun else stays[0]


def _stay_followed_up(stays: list[Stay], follow_up: Fact) -> Stay | None:
    exited = [(stay, stay.exit) for stay in stays if stay.exit is not None]
    if follow_up.exit_date is not None:
        named = [stay for stay, exit_ in exited if exit_ and exit_.day == follow_up.exit_date]
        if named:
            return named[-1]
    before = [stay for stay, exit_ in exited if exit_ and exit_.day <= follow_up.day]
    return before[-1] if before else None
