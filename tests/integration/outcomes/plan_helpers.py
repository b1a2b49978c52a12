"""What the case-work tests share: enrolling a participant through the real topic and waiting until
outcomes knows the stay, seen through the plan (not through routes other work may be changing)."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.integration.outcomes.conftest import CASEWORKER, OutcomesUnderTest, enrolled
from tests.support.service_app import eventually
from werkstattnetz_shared.events.vocabulary import Funder


async def enrol(
    outcomes: OutcomesUnderTest,
    participant_id: uuid.UUID,
    enrolled_on: dt.date,
    *,
    stay: int = 1,
) -> None:
    """Publish `ParticipantEnrolled` on intake's topic; returns once outcomes shows stay `stay`."""
    await outcomes.publish_intake(enrolled(participant_id, Funder.JOBCENTER, enrolled_on, re_entry=stay > 1))

    async def knows_the_stay() -> bool:
        response = await outcomes.client.get(f"/v1/participants/{participant_id}/plan", headers=CASEWORKER)
        return response.status_code == 200 and response.json()["stay"] == stay

    await eventually(knows_the_stay, what=f"stay {stay} of participant {participant_id}")
