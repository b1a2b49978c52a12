"""Which exit destinations count as an integration, in the programme's view and the Jobcenter's.

This is the one place the mapping lives (DOMAIN.md, "Exit destinations"). The programme counts
therapy as integrated (its published "about 60 %" includes it); the Jobcenter's own rate does not,
and files therapy under "other". A return to school counts in neither view of integration; the
Jobcenter files it as education.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from werkstattnetz_shared.events.vocabulary import Destination


class JobcenterCategory(StrEnum):
    """How the Jobcenter's statistics file a destination."""

    TRAINING = "training"
    EMPLOYMENT = "employment"
    EDUCATION = "education"
    MEASURE = "measure"
    OTHER = "other"  # not counted as an integration (therapy)
    NONE = "none"  # the stay broke off with no destination (dropout)
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DestinationViews:
    programme_integrated: bool
    jobcenter_category: JobcenterCategory

    @property
    def jobcenter_integrated(self) -> bool:
        return self.jobcenter_category in (JobcenterCategory.TRAINING, JobcenterCategory.EMPLOYMENT)


VIEWS_OF_DESTINATION: dict[Destination, DestinationViews] = {
    Destination.APPRENTICESHIP: DestinationViews(True, JobcenterCategory.TRAINING),
    Destination.EMPLOYMENT: DestinationViews(True, JobcenterCategory.EMPLOYMENT),
    Destination.THERAPY: DestinationViews(True, JobcenterCategory.OTHER),
    Destination.SCHOOL: DestinationViews(False, JobcenterCategory.EDUCATION),
    Destination.OTHER_MEASURE: DestinationViews(False, JobcenterCategory.MEASURE),
    Destination.DROPOUT: DestinationViews(False, JobcenterCategory.NONE),
    Destination.UNKNOWN: DestinationViews(False, JobcenterCategory.UNKNOWN),
}

PROGRAMME_INTEGRATIONS = frozenset(d for d, view in VIEWS_OF_DESTINATION.items() if view.programme_integrated)
JOBCENTER_INTEGRATIONS = frozenset(d for d, view in VIEWS_OF_DESTINATION.items() if view.jobcenter_integrated)


def integrated_in_programme_view(destination: Destination) -> bool:
    return VIEWS_OF_DESTINATION[destination].programme_integrated


def integrated_in_jobcenter_view(destination: Destination) -> bool:
    return VIEWS_OF_DESTINATION[destination].jobcenter_integrated


def jobcenter_category(destination: Destination) -> JobcenterCategory:
    return VIEWS_OF_DESTINATION[destination].jobcenter_category
