"""Which destinations count as integrated, in the programme's view and in the Jobcenter's."""

import pytest

from outcomes.domain.destinations import integrated_in_jobcenter_view, integrated_in_programme_view
from werkstattnetz_shared.events.vocabulary import Destination

PROGRAMME_VIEW = {
    Destination.APPRENTICESHIP: True,
    Destination.EMPLOYMENT: True,
    Destination.THERAPY: True,
    Destination.SCHOOL: False,
    Destination.OTHER_MEASURE: False,
    Destination.DROPOUT: False,
    Destination.UNKNOWN: False,
}


@pytest.mark.parametrize(("destination", "integrated"), PROGRAMME_VIEW.items())
def test_programme_view_counts_training_work_and_therapy(destination: Destination, integrated: bool) -> None:
    assert integrated_in_programme_view(destination) is integrated


@pytest.mark.parametrize("destination", list(Destination))
def test_jobcenter_view_is_the_programme_view_without_therapy(destination: Destination) -> None:
    expected = PROGRAMME_VIEW[destination] and destination is not Destination.THERAPY
    assert integrated_in_jobcenter_view(destination) is expected


def test_every_destination_is_classified() -> None:
    assert set(PROGRAMME_VIEW) == set(Destination)
