"""Translate intake's enrolment into the published `ParticipantEnrolled` contract."""

import uuid

from intake.domain.referral import Enrolment
from werkstattnetz_shared.events import EventEnvelope, ParticipantEnrolled

PRODUCER = "intake"


def participant_enrolled(enrolment: Enrolment, correlation_id: uuid.UUID) -> EventEnvelope:
    data = ParticipantEnrolled(
        age_band=enrolment.age_band,
        referral_source=enrolment.referral_source,
        funder=enrolment.funder,
        preferred_work_areas=list(enrolment.preferred_work_areas),
        enrolled_on=enrolment.enrolled_on,
    )
    return EventEnvelope.wrap(
        data, producer=PRODUCER, participant_id=enrolment.participant_id, correlation_id=correlation_id
    )
