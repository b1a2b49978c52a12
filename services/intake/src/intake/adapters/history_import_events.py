"""`HistoricalStayImported` for each imported stay: the stay's coarse facts, never personal data."""

from __future__ import annotations

import uuid

from intake.adapters.history_import_store import ImportedStay
from werkstattnetz_shared.events import EventEnvelope, HistoricalStayImported

PRODUCER = "intake"


def historical_stay_imported(imported: ImportedStay, correlation_id: uuid.UUID) -> EventEnvelope:
    stay = imported.stay
    data = HistoricalStayImported(
        enrolment_id=imported.enrolment_id,
        re_entry=imported.re_entry,
        referred_on=stay.referred_on,
        referral_source=stay.referral_source,
        funder=stay.funder,
        age_band=stay.age_band,
        enrolled_on=stay.enrolled_on,
        work_area=stay.work_area,
        placed_on=stay.placed_on,
        exit_date=stay.exit_date,
        destination=stay.destination,
        exit_reason=stay.exit_reason,
    )
    return EventEnvelope.wrap(
        data, producer=PRODUCER, participant_id=imported.participant_id, correlation_id=correlation_id
    )
