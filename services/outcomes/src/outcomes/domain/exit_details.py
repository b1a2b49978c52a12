"""What an exit says besides its destination: why the stay ended and, for an integration, the kind
of next step. Both are fixed codes (counted, never narrated), and both are optional: an exit
recorded without them stays valid, as exits recorded before they existed are.

The rules only refuse what contradicts the destination:
- a next step belongs to an integration (programme view) and must be one of its destination's kinds
  (a mini-job is no employment subject to social insurance, so it is not among them);
- `found_placement` says the person left for a next step, so the destination cannot be `dropout`
  or `unknown`; `dropout` says they broke off, so the destination must be `dropout` or `unknown`.
"""

from __future__ import annotations

from outcomes.domain.destinations import integrated_in_programme_view
from outcomes.domain.errors import (
    ExitReasonMustFitDestination,
    NextStepMustFitDestination,
    NextStepOnlyForIntegrations,
)
from werkstattnetz_shared.events.vocabulary import Destination, ExitReason, NextStep

NEXT_STEPS_OF_DESTINATION: dict[Destination, frozenset[NextStep]] = {
    Destination.APPRENTICESHIP: frozenset(
        {NextStep.DUAL_APPRENTICESHIP, NextStep.SCHOOL_BASED_TRAINING, NextStep.NON_COMPANY_APPRENTICESHIP}
    ),
    Destination.EMPLOYMENT: frozenset(
        {NextStep.EMPLOYMENT_SUBJECT_TO_SOCIAL_INSURANCE, NextStep.SUBSIDISED_EMPLOYMENT}
    ),
    Destination.THERAPY: frozenset({NextStep.THERAPY}),
}

_NO_NEXT_STEP = frozenset({Destination.DROPOUT, Destination.UNKNOWN})


def check_exit_details(
    destination: Destination, reason: ExitReason | None, next_step: NextStep | None
) -> None:
    if next_step is not None:
        if not integrated_in_programme_view(destination):
            raise NextStepOnlyForIntegrations(
                f"an exit into {destination.value} is no integration and has no kind of next step"
            )
        if next_step not in NEXT_STEPS_OF_DESTINATION[destination]:
            allowed = ", ".join(sorted(step.value for step in NEXT_STEPS_OF_DESTINATION[destination]))
            raise NextStepMustFitDestination(
                f"{next_step.value} is no kind of {destination.value}; one of: {allowed}"
            )
    if reason is ExitReason.FOUND_PLACEMENT and destination in _NO_NEXT_STEP:
        raise ExitReasonMustFitDestination(
            f"found_placement names a next step, but the destination is {destination.value}"
        )
    if reason is ExitReason.DROPOUT and destination not in _NO_NEXT_STEP:
        raise ExitReasonMustFitDestination(
            f"dropout says the stay broke off, but the destination is {destination.value}; "
            "use found_placement or regular_end"
        )
