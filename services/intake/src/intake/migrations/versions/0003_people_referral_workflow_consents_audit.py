"""People apart from their referrals; the referral workflow, consents, funding, caseworkers, audit log.

The participant id now belongs to the person from the first referral on (before, enrolment minted
it), and a person may be referred again. Existing rows are carried over: each referral becomes a
person (people already known by name and birth date are merged) with one referral; an enrolled one
keeps its participant id, an earlier "consent to data processing" becomes a consent record, the
funder becomes a 100 % share with legal basis `other`, and the access log becomes the audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

from intake.domain.names import identity_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEW_TABLES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE people (
    participant_id             UUID PRIMARY KEY,
    first_name                 TEXT,
    last_name                  TEXT,
    birth_date                 DATE,
    email                      TEXT,
    phone                      TEXT,
    jobcenter_customer_number  TEXT,
    identity_key               TEXT,
    caseworker                 TEXT,
    erased_on                  DATE,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((erased_on IS NULL) = (identity_key IS NOT NULL))
);
-- The same person twice is refused; also two staff members creating them at the same moment.
CREATE UNIQUE INDEX people_identity_idx ON people (identity_key, birth_date) WHERE erased_on IS NULL;
-- Name search by trigram similarity stays fast at 100k people.
CREATE INDEX people_name_trgm_idx ON people USING gin (identity_key gin_trgm_ops);
CREATE INDEX people_caseworker_idx ON people (caseworker);

CREATE TABLE referrals (
    referral_id                        UUID PRIMARY KEY,
    participant_id                     UUID NOT NULL REFERENCES people (participant_id),
    referral_source                    TEXT NOT NULL,
    referring_organisation             TEXT,
    contact_person                     TEXT,
    received_on                        DATE NOT NULL,
    received_at                        TIMESTAMPTZ NOT NULL,
    preferred_work_areas               TEXT[] NOT NULL,
    re_entry                           BOOLEAN NOT NULL,
    status                             TEXT NOT NULL,
    interviewed_on                     DATE,
    interviewed_by                     TEXT,
    has_completed_vocational_training  BOOLEAN,
    is_employed                        BOOLEAN,
    interview_note                     TEXT,
    closed_on                          DATE,
    closing_reason                     TEXT,
    enrolment_id                       UUID UNIQUE,
    enrolled_on                        DATE,
    age_band                           TEXT,
    funding                            JSONB,
    main_funder                        TEXT,
    enrolment_ended_on                 DATE
);
CREATE INDEX referrals_of_person_idx ON referrals (participant_id, received_at);
CREATE INDEX referrals_newest_first_idx ON referrals (received_on DESC, referral_id DESC);
-- One open referral per person, also under concurrency.
CREATE UNIQUE INDEX referrals_one_open_idx ON referrals (participant_id)
    WHERE status IN ('received', 'interviewed');

CREATE TABLE consents (
    consent_id      UUID PRIMARY KEY,
    participant_id  UUID NOT NULL REFERENCES people (participant_id),
    purpose         TEXT NOT NULL,
    given_on        DATE NOT NULL,
    given_by        TEXT NOT NULL,
    guardian_name   TEXT,
    withdrawn_on    DATE,
    recorded_by     TEXT NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX consents_of_person_idx ON consents (participant_id);

-- Who read or changed which person's data, and when; never the data itself, so it survives erasure.
CREATE TABLE audit_log (
    id              BIGSERIAL PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    staff_subject   TEXT NOT NULL,
    action          TEXT NOT NULL,
    participant_id  UUID NOT NULL,
    referral_id     UUID
);
CREATE INDEX audit_log_participant_idx ON audit_log (participant_id, id);
CREATE INDEX audit_log_staff_idx ON audit_log (staff_subject, id);
CREATE INDEX audit_log_at_idx ON audit_log (at);
"""


def upgrade() -> None:
    op.execute("ALTER TABLE referrals RENAME TO referrals_before_0003")
    op.execute("ALTER TABLE personal_data_access RENAME TO personal_data_access_before_0003")
    op.execute("ALTER INDEX referrals_pkey RENAME TO referrals_before_0003_pkey")
    op.execute("ALTER INDEX referrals_received_idx RENAME TO referrals_before_0003_received_idx")
    op.execute(
        "ALTER TABLE referrals_before_0003 RENAME CONSTRAINT referrals_participant_id_key TO rb0003_pid"
    )
    op.execute(NEW_TABLES)
    _carry_over(op.get_bind())
    op.execute("DROP TABLE personal_data_access_before_0003; DROP TABLE referrals_before_0003;")


def _carry_over(connection: sa.Connection) -> None:
    person_of_referral: dict[Any, Any] = {}
    known: dict[tuple[str, Any], Any] = {}
    rows = connection.execute(sa.text("SELECT * FROM referrals_before_0003 ORDER BY received_at")).mappings()
    for row in rows:
        key = (identity_key(row["first_name"], row["last_name"]), row["birth_date"])
        participant_id = known.get(key)
        if participant_id is None:
            participant_id = row["participant_id"] or uuid.uuid4()
            known[key] = participant_id
            connection.execute(
                sa.text(
                    "INSERT INTO people (participant_id, first_name, last_name, birth_date, email, phone, "
                    "identity_key) VALUES (:id, :first, :last, :birth, :email, :phone, :key)"
                ),
                {
                    "id": participant_id,
                    "first": row["first_name"],
                    "last": row["last_name"],
                    "birth": row["birth_date"],
                    "email": row["email"],
                    "phone": row["phone"],
                    "key": key[0],
                },
            )
        person_of_referral[row["referral_id"]] = participant_id
        enrolled = row["status"] == "enrolled"
        connection.execute(
            sa.text(
                "INSERT INTO referrals (referral_id, participant_id, referral_source, received_on, "
                "received_at, preferred_work_areas, re_entry, status, enrolment_id, enrolled_on, "
                "age_band, funding, main_funder) VALUES (:id, :person, :source, "
                "(:at AT TIME ZONE 'Europe/Berlin')::date, :at, :areas, false, :status, :enrolment, "
                ":enrolled_on, :band, CAST(:funding AS jsonb), :funder)"
            ),
            {
                "id": row["referral_id"],
                "person": participant_id,
                "source": row["referral_source"],
                "at": row["received_at"],
                "areas": row["preferred_work_areas"],
                "status": row["status"],
                "enrolment": uuid.uuid4() if enrolled else None,
                "enrolled_on": row["enrolled_on"],
                "band": row["age_band"],
                "funding": json.dumps(
                    [{"funder": row["funder"], "legal_basis": "other", "share_percent": 100}]
                    if enrolled
                    else None
                ),
                "funder": row["funder"] if enrolled else None,
            },
        )
        if row["consent_to_data_processing"]:
            connection.execute(
                sa.text(
                    "INSERT INTO consents (consent_id, participant_id, purpose, given_on, given_by, "
                    "recorded_by) VALUES (:id, :person, 'data_processing', "
                    "(:at AT TIME ZONE 'Europe/Berlin')::date, 'participant', 'migration-0003')"
                ),
                {"id": uuid.uuid4(), "person": participant_id, "at": row["received_at"]},
            )
    accesses = connection.execute(
        sa.text("SELECT * FROM personal_data_access_before_0003 ORDER BY id")
    ).mappings()
    for access in accesses:
        connection.execute(
            sa.text(
                "INSERT INTO audit_log (at, staff_subject, action, participant_id, referral_id) "
                "VALUES (:at, :staff, :action, :person, :referral)"
            ),
            {
                "at": access["at"],
                "staff": access["staff_subject"],
                "action": access["action"],
                "person": person_of_referral[access["referral_id"]],
                "referral": access["referral_id"],
            },
        )


def downgrade() -> None:
    raise RuntimeError("0003 merges people and re-shapes personal data; restore a backup to go back")
