"""Which exit destinations count as an integration, in the programme's view and the Jobcenter's.

This is the one place the mapping lives. The programme counts therapy as integrated (its published
"about 60 %" includes it); the Jobcenter's own rate does not. A return to school counts in neither.
"""

from werkstattnetz_shared.events.vocabulary import Destination

PROGRAMME_INTEGRATIONS = frozenset({Destination.APPRENTICESHIP, Destination.EMPLOYMENT, Destination.THERAPY})
JOBCENTER_INTEGRATIONS = frozenset({Destination.APPRENTICESHIP, Destination.EMPLOYMENT})


def integrated_in_programme_view(destination: Destination) -> bool:
    return destination in PROGRAMME_INTEGRATIONS


def integrated_in_jobcenter_view(destination: Destination) -> bool:
    return destination in JOBCENTER_INTEGRATIONS
