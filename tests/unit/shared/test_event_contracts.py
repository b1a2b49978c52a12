"""The published language: envelope round trips, contract validation, schema drift."""

import datetime as dt
import json
import uuid

import jsonschema
import pytest
from pydantic import ValidationError

from werkstattnetz_shared.events import (
    EVENT_CONTRACTS,
    EventData,
    EventEnvelope,
    IntegrationAchieved,
    ParticipantEnrolled,
    UnknownEventContractError,
    parse_event_data,
)
from werkstattnetz_shared.events.schema_export import (
    SCHEMA_DIR,
    event_schema,
    schema_file_name,
    schemas_that_drifted,
)
from werkstattnetz_shared.events.vocabulary import AgeBand, Destination, Funder, ReferralSource, WorkArea

PERSONAL_FIELDS = {"first_name", "last_name", "name", "birth_date", "email", "phone", "address", "notes"}


def enrolled() -> ParticipantEnrolled:
    return ParticipantEnrolled(
        age_band=AgeBand.AGE_18_20,
        referral_source=ReferralSource.JOBCENTER,
        funder=Funder.JOBCENTER,
        preferred_work_areas=[WorkArea.CARE, WorkArea.BIKE_METAL],
        enrolled_on=dt.date(2026, 11, 2),
    )


def test_envelope_survives_the_wire_unchanged() -> None:
    envelope = EventEnvelope.wrap(enrolled(), producer="intake", participant_id=uuid.uuid4())
    again = EventEnvelope.from_json_bytes(envelope.to_json_bytes())
    assert again == envelope
    assert parse_event_data(again) == enrolled()
    assert envelope.kafka_key == str(envelope.participant_id).encode()


def test_a_new_flow_is_correlated_by_its_first_event() -> None:
    envelope = EventEnvelope.wrap(enrolled(), producer="intake", participant_id=uuid.uuid4())
    assert envelope.correlation_id == envelope.event_id
    assert envelope.causation_id is None


def test_caused_events_carry_the_flow_and_the_cause() -> None:
    cause = EventEnvelope.wrap(enrolled(), producer="intake", participant_id=uuid.uuid4())
    effect = EventEnvelope.wrap(
        IntegrationAchieved(destination=Destination.THERAPY, exit_date=dt.date(2026, 11, 20)),
        producer="outcomes",
        participant_id=cause.participant_id,
        correlation_id=cause.correlation_id,
        causation_id=cause.event_id,
    )
    assert effect.correlation_id == cause.correlation_id
    assert effect.causation_id == cause.event_id


def test_occurred_at_is_stored_in_utc() -> None:
    berlin = dt.timezone(dt.timedelta(hours=1))
    envelope = EventEnvelope.wrap(
        enrolled(),
        producer="intake",
        participant_id=uuid.uuid4(),
        occurred_at=dt.datetime(2026, 11, 25, 9, 0, tzinfo=berlin),
    )
    assert envelope.occurred_at == dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
    assert envelope.occurred_at.utcoffset() == dt.timedelta(0)


def test_naive_timestamps_are_refused() -> None:
    raw = json.loads(
        EventEnvelope.wrap(enrolled(), producer="intake", participant_id=uuid.uuid4()).to_json_bytes()
    )
    raw["occurred_at"] = "2026-11-25T08:00:00"
    with pytest.raises(ValidationError, match="occurred_at"):
        EventEnvelope.model_validate(raw)


def test_unknown_type_or_version_is_refused() -> None:
    envelope = EventEnvelope.wrap(enrolled(), producer="intake", participant_id=uuid.uuid4())
    newer = envelope.model_copy(update={"event_version": 99})
    with pytest.raises(UnknownEventContractError, match="ParticipantEnrolled v99"):
        parse_event_data(newer)


def test_additive_fields_from_newer_producers_are_ignored() -> None:
    envelope = EventEnvelope.wrap(enrolled(), producer="intake", participant_id=uuid.uuid4())
    extended = envelope.model_copy(update={"data": {**envelope.data, "shoe_size": 42}})
    assert parse_event_data(extended) == enrolled()


def test_enrolment_needs_at_least_one_work_area() -> None:
    with pytest.raises(ValidationError, match="preferred_work_areas"):
        ParticipantEnrolled(
            age_band=AgeBand.AGE_15_17,
            referral_source=ReferralSource.SELF,
            funder=Funder.CITY,
            preferred_work_areas=[],
            enrolled_on=dt.date(2026, 1, 1),
        )


@pytest.mark.parametrize("contract", list(EVENT_CONTRACTS.values()), ids=lambda c: c.event_type)
def test_no_contract_carries_personal_data(contract: type[EventData]) -> None:
    assert PERSONAL_FIELDS.isdisjoint(contract.model_fields), contract.model_fields.keys()


def test_checked_in_schemas_match_the_contracts() -> None:
    assert schemas_that_drifted() == [], "run: python -m werkstattnetz_shared.events.schema_export"


def test_every_contract_has_exactly_one_checked_in_schema() -> None:
    expected = {schema_file_name(contract) for contract in EVENT_CONTRACTS.values()}
    assert {path.name for path in SCHEMA_DIR.glob("*.json")} == expected


def test_a_real_event_validates_against_its_schema_and_a_wrong_one_does_not() -> None:
    envelope = EventEnvelope.wrap(enrolled(), producer="intake", participant_id=uuid.uuid4())
    schema = event_schema(ParticipantEnrolled)
    jsonschema.validate(json.loads(envelope.to_json_bytes()), schema)
    broken = json.loads(envelope.to_json_bytes())
    broken["data"]["preferred_work_areas"] = ["space_travel"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
